package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded {@code target/syncservice.jar} carries what its dependencies' licences ask to be
 * carried: this project's Apache-2.0 text as META-INF/LICENSE, every dependency's own licence and
 * notice files under META-INF/licenses/ARTIFACT/, their NOTICEs merged into META-INF/NOTICE, and a
 * bill of materials naming each bundled dependency's licences (most jars, logback's among them,
 * carry no licence file).
 */
class FatJarLicencesIT {
    private static final Path JAR = Path.of(System.getProperty("syncservice.jar", "../target/syncservice.jar"));
    private static JarFile jar;

    @BeforeAll
    static void open() throws IOException {
        assertThat(JAR).as("the shaded jar (built by package)").exists();
        jar = new JarFile(JAR.toFile());
    }

    @AfterAll
    static void close() throws IOException {
        jar.close();
    }

    @Test
    void theJarsOwnLicenceIsApache2AsTheRepositorysIs() throws IOException {
        Path repositoryLicence = JAR.toAbsolutePath().getParent().getParent().resolve("LICENSE");
        assertThat(entry("META-INF/LICENSE")).isEqualTo(Files.readString(repositoryLicence))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
    }

    @Test
    void postgresqlJdbcKeepsItsBsdLicenceAndTheLicencesItBundles() throws IOException {
        assertThat(entry("META-INF/licenses/postgresql/META-INF/LICENSE"))
                .contains("PostgreSQL Global Development Group", "Redistribution and use in source and binary forms");
        assertThat(jar.stream().map(ZipEntry::getName))
                .anyMatch(name -> name.startsWith("META-INF/licenses/postgresql/META-INF/licenses/com.ongres.scram/"));
    }

    @Test
    void apacheNoticesAreKeptOnTheirOwnAndMerged() throws IOException {
        assertThat(entry("META-INF/licenses/micrometer-core/META-INF/NOTICE")).contains("Micrometer");
        assertThat(entry("META-INF/licenses/commons-cli/META-INF/NOTICE.txt")).contains("Apache Commons CLI");
        assertThat(entry("META-INF/licenses/commons-cli/META-INF/LICENSE.txt")).contains("Apache License");
        assertThat(entry("META-INF/NOTICE"))
                .contains("Copyright 2026 the syncservice authors", "Micrometer", "Apache Commons CLI", "Netty");
    }

    @Test
    void theBillOfMaterialsNamesLogbacksDualLicenceAndTheOthers() throws IOException {
        String bom = entry("META-INF/sbom/bom.json").replaceAll("\\s+", "");
        // logback 1.5.x: EPL-2.0 or LGPL-2.1 (earlier releases named EPL-1.0 and the LGPL by its title).
        assertThat(component(bom, "logback-classic")).contains("EPL-2.0", "LGPL-2.1");
        assertThat(component(bom, "postgresql")).contains("BSD-2-Clause");
        assertThat(component(bom, "netty-common")).contains("Apache-2.0");
        assertThat(component(bom, "HikariCP")).contains("Apache-2.0");
    }

    /** The JSON text of the component with this name, up to the next component. */
    private static String component(String bom, String name) {
        int start = bom.indexOf("\"name\":\"" + name + "\"");
        assertThat(start).as("component %s in the bill of materials", name).isNotNegative();
        int next = bom.indexOf("\"bom-ref\"", start);
        return bom.substring(start, next < 0 ? bom.length() : next);
    }

    private static String entry(String name) throws IOException {
        ZipEntry entry = jar.getEntry(name);
        assertThat(entry).as(name + " in " + JAR).isNotNull();
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

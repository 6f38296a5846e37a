package org.syncservice.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball as an operator unpacks it: bin/syncservice, lib/syncservice.jar,
 * conf/config.properties, the systemd unit as an example and LICENSE; the launcher prints the
 * version and the configuration, applies its heap defaults and the variables that change them,
 * and starts the service on conf/config.properties against a database, virtual host and S3 store
 * of the test's own, which SIGTERM stops with exit 0.
 */
class TarballIT {
    private static final Path TARBALL = Path.of(System.getProperty("syncservice.tarball", "target/syncservice.tar.gz"));
    private static final String VERSION = System.getProperty("syncservice.version", "0.1.0-SNAPSHOT");
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;
    Path home;

    @BeforeEach
    void unpack() throws Exception {
        assertThat(TARBALL).as("the tarball (built by package)").exists();
        Commands.run("tar", "-xzf", TARBALL.toString(), "-C", dir.toString()).orFail();
        home = dir.resolve("syncservice-" + VERSION);
    }

    @Test
    void theTarballHoldsTheLauncherTheJarTheCommentedConfigTheUnitAndTheLicence() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/syncservice"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(home.resolve("lib/syncservice.jar")).hasSameBinaryContentAs(REPOSITORY.resolve("target/syncservice.jar"));
        assertThat(home.resolve("LICENSE")).hasSameTextualContentAs(REPOSITORY.resolve("LICENSE"));
        assertThat(home.resolve("systemd/syncservice.service")).content().contains("ExecStart=/usr/bin/syncservice");
        PackagedConfig.assertEveryKeyCommentedOut(home.resolve("conf/config.properties"));
    }

    @Test
    void theLauncherPrintsTheVersionAndTheConfiguration() throws Exception {
        assertThat(launcher(Map.of(), "--version").orFail().output()).contains("syncservice " + VERSION);
        assertThat(launcher(Map.of(), "--dump-config").orFail().output())
                .isEqualTo(Files.readString(REPOSITORY.resolve("config.properties.example")));
    }

    @Test
    void theHeapAndCollectorComeFromTheVariablesOrTheLaunchersDefaults() throws Exception {
        String defaults = launcher(Map.of("SYNCSERVICE_JAVA_OPTS", "-XshowSettings:vm -Xlog:gc=info:stderr"),
                "--version").orFail().output();
        assertThat(defaults).contains("Max. Heap Size: 512.00M", "Using G1");
        String changed = launcher(Map.of("SYNCSERVICE_HEAP_MAX", "300m", "SYNCSERVICE_HEAP_MIN", "64m",
                "SYNCSERVICE_GC", "Serial", "SYNCSERVICE_JAVA_OPTS", "-XshowSettings:vm -Xlog:gc=info:stderr"),
                "--version").orFail().output();
        assertThat(changed).contains("Max. Heap Size: 300.00M", "Using Serial");
        Commands.Result wrongCollector = launcher(Map.of("SYNCSERVICE_GC", "Shenandoah"), "--version");
        assertThat(wrongCollector.exitCode()).isEqualTo(2);
        assertThat(wrongCollector.output()).contains("SYNCSERVICE_GC must be G1, Serial, Parallel or Z");
    }

    @Test
    void theLauncherRunsTheServiceOnItsConfigUntilSigterm() throws Exception {
        try (ServiceBackends backends = ServiceBackends.create("tarball")) {
            Path secrets = Files.createDirectory(dir.resolve("secrets"));
            backends.writeSecrets(secrets);
            Map<String, String> environment = new HashMap<>(backends.settings());
            environment.putAll(ServiceBackends.secretFiles(secrets.toString()));
            String config = home.resolve("conf/config.properties").toString();
            assertThat(launcher(environment, "--config", config, "--init-db").orFail().output())
                    .contains("schema version");

            environment.put("PATH", System.getenv("PATH"));
            try (RunningService service = RunningService.start(
                    List.of(home.resolve("bin/syncservice").toString(), "--config", config), environment,
                    dir.resolve("service.log"), backends.httpPort)) {
                assertThat(Files.readString(Path.of("/proc/" + service.pid() + "/cmdline")).split("\0"))
                        .as("the JVM the launcher started").contains("-Xmx512m", "-Xms128m", "-XX:+UseG1GC",
                                "-XX:+ExitOnOutOfMemoryError");
                assertThat(service.stop()).as("exit code after SIGTERM; output:\n" + service.output()).isZero();
            }
        }
    }

    private Commands.Result launcher(Map<String, String> environment, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = home.resolve("bin/syncservice").toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return Commands.run(environment, null, command);
    }
}

package org.syncservice.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package installed on this machine with dpkg, as root (CI runs here too): its files,
 * owners and modes, its system user, its conffiles, a unit systemd-analyze accepts, and the service
 * started as the unit starts it (ExecStart= as User=, with EnvironmentFile= and Environment=, the
 * secrets as LoadCredential= hands them over) against a database, virtual host and S3 store of the
 * test's own, ready, then stopped by SIGTERM with exit 0. Purged afterwards, the test failed or
 * not, and nothing of it may be left but the system user, which Debian keeps (removed then by the
 * test, if the test made it). Without dpkg, with dpkg locked, or with a syncservice package
 * installed already (which it would replace), it fails saying so; it never skips.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebianPackageIT {
    private static final Path DEB = Path.of(System.getProperty("syncservice.deb", "target/syncservice.deb"));
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Path UNIT = Path.of("/lib/systemd/system/syncservice.service");
    private static final Path CONFIG = Path.of("/etc/syncservice/config.properties");
    private static final String USER = "syncservice";
    private static List<String> packagedPaths = List.of();
    private static boolean purgeAfter;
    private static boolean userExistedBefore;

    @TempDir
    Path dir;

    @BeforeAll
    static void install() throws Exception {
        assertThat(System.getProperty("user.name")).as("DebianPackageIT installs a package: run it as root").isEqualTo("root");
        if (Commands.run("sh", "-c", "command -v dpkg").exitCode() != 0) {
            fail("dpkg is not on this machine; DebianPackageIT installs the package with dpkg -i and needs it");
        }
        assertThat(DEB).as("the Debian package (built by package)").exists();
        if (Commands.run("dpkg-query", "-W", "-f=${db:Status-Status}", "syncservice").output().equals("installed")) {
            fail("a syncservice package is installed on this machine already, which DebianPackageIT would replace"
                    + " and purge; if it is a test's leftover: dpkg --purge syncservice");
        }
        userExistedBefore = Commands.run("getent", "passwd", USER).exitCode() == 0;
        purgeAfter = true;
        packagedPaths = contents();
        dpkg("-i", DEB.toString());
    }

    @AfterAll
    static void purgeAndCheckNothingIsLeft() throws Exception {
        if (!purgeAfter) {
            return;
        }
        try {
            if (Commands.run("dpkg-query", "-W", "syncservice").exitCode() == 0) {
                dpkg("--purge", "syncservice");
            }
            List<String> left = new ArrayList<>();
            for (String path : packagedPaths) {
                if (Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS) && !isSharedDirectory(path)) {
                    left.add(path);
                }
            }
            for (String path : List.of("/etc/syncservice", "/etc/systemd/system/multi-user.target.wants/syncservice.service",
                    "/var/lib/systemd/deb-systemd-helper-enabled/syncservice.service.dsh-also",
                    "/var/lib/dpkg/info/syncservice.list", "/var/lib/dpkg/info/syncservice.conffiles")) {
                if (Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS)) {
                    left.add(path);
                }
            }
            assertThat(left).as("left by dpkg --purge").isEmpty();
            assertThat(Commands.run("getent", "passwd", USER).exitCode())
                    .as("the system user stays after a purge, as Debian advises").isZero();
        } finally {
            if (!userExistedBefore) {
                Commands.run("deluser", "--system", "--quiet", USER);
                Commands.run("delgroup", "--system", "--quiet", USER);
            }
        }
    }

    @Test
    @Order(1)
    void theFilesAreInstalledWithTheirOwnersAndModes() throws Exception {
        assertFile("/usr/share/syncservice/lib/syncservice.jar", "root", "root", "rw-r--r--");
        assertThat(Path.of("/usr/share/syncservice/lib/syncservice.jar"))
                .hasSameBinaryContentAs(REPOSITORY.resolve("target/syncservice.jar"));
        assertFile("/usr/share/syncservice/bin/syncservice", "root", "root", "rwxr-xr-x");
        assertThat(Path.of("/usr/bin/syncservice").toRealPath())
                .isEqualTo(Path.of("/usr/share/syncservice/bin/syncservice"));
        assertFile("/usr/bin/syncservice-admin", "root", "root", "rwxr-xr-x");
        assertFile("/etc/syncservice", "root", USER, "rwxr-x---");
        assertFile(CONFIG.toString(), "root", USER, "rw-r-----");
        assertFile("/etc/syncservice/credentials", "root", "root", "rwx------");
        assertFile("/etc/default/syncservice", "root", "root", "rw-r--r--");
        assertFile(UNIT.toString(), "root", "root", "rw-r--r--");
        assertThat(Path.of("/usr/share/doc/syncservice/copyright")).content()
                .contains("License: Apache-2.0", "/usr/share/common-licenses/Apache-2.0");
        PackagedConfig.assertEveryKeyCommentedOut(CONFIG);
        assertThat(Files.readAllLines(Path.of("/var/lib/dpkg/info/syncservice.conffiles")))
                .containsExactlyInAnyOrder(CONFIG.toString(), "/etc/default/syncservice");
        assertThat(Commands.run("dpkg-query", "-W", "-f=${Depends}", "syncservice").orFail().output())
                .isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser");
        assertThat(Path.of("/etc/systemd/system/multi-user.target.wants/syncservice.service"))
                .as("not enabled before it is configured").doesNotExist();
    }

    @Test
    @Order(2)
    void theServiceHasASystemUserOfItsOwnThatCannotLogIn() throws Exception {
        String[] passwd = Commands.run("getent", "passwd", USER).orFail().output().strip().split(":");
        assertThat(Integer.parseInt(passwd[2])).as("a system uid").isLessThan(1000);
        assertThat(passwd[5]).isEqualTo("/nonexistent");
        assertThat(passwd[6]).isEqualTo("/usr/sbin/nologin");
        assertThat(Commands.run("id", "-gn", USER).orFail().output().strip()).isEqualTo(USER);
        assertThat(Path.of("/nonexistent")).doesNotExist();
    }

    @Test
    @Order(3)
    void installingAgainKeepsTheUserAndTheAdministratorsConfig() throws Exception {
        String uid = Commands.run("id", "-u", USER).orFail().output();
        Files.writeString(CONFIG, Files.readString(CONFIG) + "log.level=INFO\n");
        dpkg("-i", DEB.toString());
        assertThat(Commands.run("id", "-u", USER).orFail().output()).isEqualTo(uid);
        assertThat(Files.readString(CONFIG)).as("a changed conffile is kept").endsWith("log.level=INFO\n");
        assertFile(CONFIG.toString(), "root", USER, "rw-r-----");
    }

    @Test
    @Order(4)
    void systemdAnalyzeAcceptsTheUnit() throws Exception {
        if (Commands.run("sh", "-c", "command -v systemd-analyze").exitCode() != 0) {
            fail("systemd-analyze is missing: install the systemd package (.ci/run does)");
        }
        Commands.Result verify = Commands.run("systemd-analyze", "verify", "--man=no", UNIT.toString());
        assertThat(verify.exitCode()).as(verify.output()).isZero();
        assertThat(verify.output()).isBlank();
    }

    @Test
    @Order(5)
    void theServiceStartsAsTheUnitSaysAndStopsOnSigterm() throws Exception {
        SystemdUnit unit = SystemdUnit.read(UNIT);
        assertThat(unit.single("User")).contains(USER);
        try (ServiceBackends backends = ServiceBackends.create("debian")) {
            // What LoadCredential= makes: a directory of the service user's, the files readable by it alone.
            Path credentials = Files.createTempDirectory(Path.of("/tmp"), "syncservice-credentials-");
            try {
                backends.writeSecrets(credentials);
                Commands.run("chown", "-R", USER + ":" + USER, credentials.toString()).orFail();
                Commands.run("chmod", "-R", "u=rX,go=", credentials.toString()).orFail();

                // The admin wrapper, as root, finds the same secrets by their names.
                Map<String, String> admin = new HashMap<>(backends.settings());
                admin.put("SYNCSERVICE_CREDENTIALS", credentials.toString());
                assertThat(Commands.run(admin, null, "/usr/bin/syncservice-admin", "--init-db").orFail().output())
                        .contains("schema version");

                Map<String, String> environment = new HashMap<>(unit.environment());
                // An operator's drop-in: the settings, and the secrets through %d.
                environment.putAll(backends.settings());
                environment.put("CREDENTIALS_DIRECTORY", credentials.toString());
                environment.putAll(ServiceBackends.secretFiles(credentials.toString()));
                List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + unit.single("User").orElseThrow(),
                        "--regid=" + unit.single("Group").orElseThrow(), "--init-groups", "--"));
                command.addAll(unit.execStart());
                try (RunningService service = RunningService.start(command, environment, dir.resolve("service.log"),
                        backends.httpPort)) {
                    String status = Files.readString(Path.of("/proc/" + service.pid() + "/status"));
                    String uid = Commands.run("id", "-u", USER).orFail().output().strip();
                    assertThat(status).as("runs as " + USER).containsPattern("(?m)^Uid:\\s+" + uid + "\\s");
                    assertThat(Files.readString(Path.of("/proc/" + service.pid() + "/cmdline")).split("\0"))
                            .as("heap and GC from /etc/default/syncservice")
                            .contains("-Xmx512m", "-Xms128m", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
                    assertThat(Commands.run(admin, null, "/usr/bin/syncservice-admin", "status").orFail().output())
                            .contains("database", "broker", "storage");
                    assertThat(service.stop()).as("exit code after SIGTERM; output:\n" + service.output()).isZero();
                }
            } finally {
                Commands.run("rm", "-rf", credentials.toString());
            }
        }
    }

    private static void assertFile(String path, String owner, String group, String mode) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(Path.of(path), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertThat(attributes.owner().getName() + ":" + attributes.group().getName() + " "
                + PosixFilePermissions.toString(attributes.permissions())).as(path)
                .isEqualTo(owner + ":" + group + " " + mode);
    }

    private static void dpkg(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(arguments));
        Commands.Result result = Commands.run(command.toArray(String[]::new));
        if (result.exitCode() != 0) {
            if (result.output().contains("lock")) {
                fail("dpkg is locked by another process (apt or dpkg running?); DebianPackageIT needs it: "
                        + result.output());
            }
            fail(String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
        }
    }

    /** The package's files and directories, as absolute paths. */
    private static List<String> contents() throws Exception {
        return Commands.run("dpkg-deb", "--contents", DEB.toString()).orFail().output().lines()
                .map(line -> line.substring(line.indexOf("./") + 1).replaceAll(" -> .*$", "").replaceAll("/$", ""))
                .filter(path -> !path.isEmpty()).toList();
    }

    /** Directories other packages own too (/usr, /etc/default...), which a purge rightly leaves. */
    private static boolean isSharedDirectory(String path) {
        return List.of("/usr", "/usr/share", "/usr/bin", "/usr/share/doc", "/etc", "/etc/default", "/lib",
                "/lib/systemd", "/lib/systemd/system").contains(path);
    }
}

package org.syncservice.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's "Running it", step by step as an operator runs it: the shell blocks marked
 * {@code <!-- operator-step -->} are taken from README.md in order and run by bash from the
 * repository's root, the first ({@code settings}) with this test's own role, database, virtual
 * host and directory, against an S3 store it starts (S3Proxy in this JVM). Then the service must
 * come ready and the desktop client must log in and commit the file the last step wrote. Needs
 * root (the steps use runuser and rabbitmqctl), the built jars (run by failsafe after package),
 * and the machine's PostgreSQL and RabbitMQ. The role, database, virtual host and users are
 * removed afterwards.
 */
class OperatorPathIT {
    private static final Path ROOT = Path.of(System.getProperty("syncservice.projectRoot", "..")).toAbsolutePath()
            .normalize();
    private static final Pattern STEP = Pattern.compile(
            "<!-- operator-step(?:: (settings|background))? -->\\n```sh\\n(.*?)\\n```", Pattern.DOTALL);
    private static final String ACCESS_KEY = "operator-access";
    private static final String SECRET_KEY = "operator-secret";

    @TempDir
    Path dir;

    record Step(String kind, String script) {
    }

    static List<Step> steps() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Running it"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        List<Step> steps = new ArrayList<>();
        Matcher matcher = STEP.matcher(section);
        while (matcher.find()) {
            steps.add(new Step(matcher.group(1) == null ? "" : matcher.group(1), matcher.group(2)));
        }
        return steps;
    }

    @Test
    void theStepsInReadmeGiveAServiceThatADesktopClientCommitsTo() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the steps run as root (runuser, rabbitmqctl)");
        assertThat(ROOT.resolve("target/syncservice.jar")).exists();
        assertThat(ROOT.resolve("desktop/target/syncservice-desktop.jar")).exists();
        List<Step> steps = steps();
        assertThat(steps).hasSizeGreaterThanOrEqualTo(6);
        assertThat(steps.get(0).kind()).isEqualTo("settings");

        byte[] random = new byte[5];
        new java.security.SecureRandom().nextBytes(random);
        String name = "opstep_" + HexFormat.of().formatHex(random);
        BlobStore blobs = new TransientNio2BlobStore();
        S3Proxy s3 = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path conf = dir.resolve("conf");
        Path serviceLog = dir.resolve("service.log");
        Process run = null;
        try {
            s3.start();
            for (int i = 0; i < 500 && !"STARTED".equals(s3.getState()); i++) {
                Thread.sleep(10);
            }
            StringBuilder script = new StringBuilder("set -euo pipefail\n");
            script.append("ROLE=").append(name).append(" DB=").append(name).append(" VHOST=").append(name)
                    .append(" CONF=").append(conf).append('\n')
                    .append("S3_ENDPOINT=http://127.0.0.1:").append(s3.getPort()).append(" S3_BUCKET=").append(name.replace('_', '-'))
                    .append(" S3_ACCESS_KEY=").append(ACCESS_KEY).append('\n')
                    .append("install -d -m 0700 \"$CONF\"\n")
                    .append("( umask 077; printf '%s\\n' '").append(SECRET_KEY).append("' > \"$CONF/s3-secret-key\" )\n");
            int background = 0;
            for (Step step : steps.subList(1, steps.size())) {
                if (step.kind().equals("background")) {
                    background++;
                    script.append("( ").append(step.script()).append(" ) > ").append(dir.resolve("background-"
                            + background + ".log")).append(" 2>&1 &\n");
                    if (background == 1) {
                        // The service: the next step needs it serving.
                        script.append("for _ in $(seq 240); do grep -q ' ready: queue ' ").append(dir.resolve(
                                "background-1.log")).append(" && break; sleep 0.5; done\n");
                    }
                } else {
                    script.append(step.script()).append('\n');
                }
            }
            script.append("wait\n");
            Files.writeString(dir.resolve("steps.sh"), script);
            ProcessBuilder builder = new ProcessBuilder("bash", dir.resolve("steps.sh").toString())
                    .directory(ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("steps.log").toFile());
            builder.environment().put("HOME", home.toString());
            builder.environment().put("XDG_STATE_HOME", home.resolve(".state").toString());
            run = builder.start();

            waitFor(() -> Files.exists(dir.resolve("background-1.log"))
                    && Files.readString(dir.resolve("background-1.log")).contains(" ready: queue "), run,
                    "the service to log that it is ready");
            waitFor(() -> committed(name, "hello.txt"), run, "the client to commit hello.txt");
        } finally {
            if (run != null) {
                run.descendants().forEach(ProcessHandle::destroy);
                run.destroy();
                run.waitFor(30, TimeUnit.SECONDS);
                run.descendants().forEach(ProcessHandle::destroyForcibly);
            }
            s3.stop();
            blobs.close();
            removeDatabaseAndRole(name);
            rabbitmqctl("delete_vhost", name);
            rabbitmqctl("delete_user", name);
            rabbitmqctl("delete_user", name + "-clients");
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private void waitFor(Check check, Process run, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return;
            }
            if (!run.isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("waited in vain for " + what + "; the steps printed:\n"
                + read(dir.resolve("steps.log")) + "\n--- service\n" + read(dir.resolve("background-1.log"))
                + "\n--- client\n" + read(dir.resolve("background-2.log")));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "(nothing)";
    }

    private static Connection admin(String database) throws Exception {
        String host = System.getenv().getOrDefault("SYNCSERVICE_TEST_PG_HOST", "127.0.0.1");
        String port = System.getenv().getOrDefault("SYNCSERVICE_TEST_PG_PORT", "5432");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database,
                System.getenv().getOrDefault("SYNCSERVICE_TEST_PG_USER", "postgres"), "");
    }

    private static boolean committed(String database, String fileName) throws Exception {
        try (Connection connection = admin("postgres");
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (!rows.next()) {
                    return false;
                }
            }
        }
        try (Connection connection = admin(database);
             PreparedStatement items = connection.prepareStatement(
                     "SELECT 1 FROM pg_tables WHERE tablename = 'items'")) {
            try (ResultSet rows = items.executeQuery()) {
                if (!rows.next()) {
                    return false;
                }
            }
            try (PreparedStatement file = connection.prepareStatement(
                    "SELECT 1 FROM items WHERE name = ? AND NOT deleted")) {
                file.setString(1, fileName);
                try (ResultSet rows = file.executeQuery()) {
                    return rows.next();
                }
            }
        }
    }

    private static void removeDatabaseAndRole(String name) throws Exception {
        try (Connection connection = admin("postgres"); Statement statement = connection.createStatement()) {
            // The name is this test's own, of [a-z0-9_] only.
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("DROP ROLE IF EXISTS " + name);
        }
    }

    private static void rabbitmqctl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("rabbitmqctl", "-q"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.waitFor(60, TimeUnit.SECONDS);
    }
}

package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.syncservice.server.storage.s3.TestS3Server;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestDatabase;

/**
 * README's troubleshooting table against the service: each situation it lists is brought about
 * (wrong database, role or database missing, schema missing, storage or broker down, bad broker
 * password, a changed queue type, bad configuration, a port in use, admin lookups), and every
 * message the table quotes must be one of the lines printed, and every line printed one the
 * table quotes.
 */
class ReadmeTroubleshootingTest {
    private static final Path README = Path.of(System.getProperty("syncservice.projectRoot", ".."), "README.md");

    private static TestDatabase database;
    private static TestDatabase empty;
    private static TestS3Server s3;
    private static TestBroker broker;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.create();
        empty = TestDatabase.createEmpty();
        s3 = TestS3Server.start();
        broker = TestBroker.create();
    }

    @AfterAll
    static void tearDown() throws Exception {
        try (TestDatabase a = database; TestDatabase b = empty; TestS3Server c = s3; TestBroker d = broker) {
            // closed in reverse order
        }
    }

    /** One row of the table: the quoted message as a pattern and the exit code it names, if any. */
    record Row(String message, Pattern pattern, Integer exitCode) {
    }

    /** What one situation printed: its exit code and its one line on standard error, without the prefix. */
    record Printed(String situation, int exitCode, String line) {
    }

    @Test
    void everyMessageTheTableQuotesIsWhatTheServicePrintsAndViceVersa() throws Exception {
        List<Row> rows = rows();
        assertThat(rows).hasSizeGreaterThanOrEqualTo(10);
        List<Printed> printed = situations();

        for (Row row : rows) {
            assertThat(printed).as("a situation that prints README's `%s`", row.message())
                    .anySatisfy(p -> {
                        assertThat(p.line()).matches(row.pattern());
                        if (row.exitCode() != null) {
                            assertThat(p.exitCode()).isEqualTo(row.exitCode());
                        }
                    });
        }
        for (Printed p : printed) {
            assertThat(rows).as("a README row for %s, which printed `%s` (exit %d)", p.situation(), p.line(),
                    p.exitCode()).anySatisfy(row -> assertThat(p.line()).matches(row.pattern()));
        }
    }

    /** The rows of the first table under "## Troubleshooting" whose first cell is one quoted message. */
    static List<Row> rows() throws Exception {
        String readme = Files.readString(README);
        String section = readme.substring(readme.indexOf("## Troubleshooting"));
        section = section.substring(0, section.indexOf("\n## ", 1));
        Pattern row = Pattern.compile("^\\| `([^`]+)`(?: \\(exit (\\d+)\\))? \\|", Pattern.MULTILINE);
        List<Row> rows = new ArrayList<>();
        Matcher matcher = row.matcher(section.substring(0, section.indexOf("Other signs")));
        while (matcher.find()) {
            rows.add(new Row(matcher.group(1), toPattern(matcher.group(1)),
                    matcher.group(2) == null ? null : Integer.valueOf(matcher.group(2))));
        }
        return rows;
    }

    /** {@code <anything>} is one value without spaces around it, {@code ...} any text; the rest literal. */
    static Pattern toPattern(String message) {
        StringBuilder regex = new StringBuilder();
        Matcher parts = Pattern.compile("<[^>]+>|\\.\\.\\.").matcher(message);
        int last = 0;
        while (parts.find()) {
            regex.append(Pattern.quote(message.substring(last, parts.start())));
            regex.append(parts.group().equals("...") ? ".*" : ".+?");
            last = parts.end();
        }
        regex.append(Pattern.quote(message.substring(last)));
        return Pattern.compile(regex.toString());
    }

    private List<Printed> situations() throws Exception {
        Map<String, String> working = new LinkedHashMap<>(Map.of(
                "db.url", database.url(), "db.user", TestDatabase.user(), "db.connect-timeout", "2s",
                "amqp.host", TestBroker.host(), "amqp.port", Integer.toString(TestBroker.port()),
                "amqp.request-queue", broker.requestQueue(),
                "amqp.notification-exchange", broker.notificationExchange(),
                "auth.password-hash-iterations", "10000", "auth.min-password-length", "1"));
        working.putAll(s3.serviceSettings());
        List<Printed> printed = new ArrayList<>();
        printed.add(serve("PostgreSQL down", with(working, "db.url", "jdbc:postgresql://127.0.0.1:1/none")));
        printed.add(serve("no such role", with(working, "db.user", "no_role_" + suffix())));
        printed.add(serve("no such database", with(working, "db.url",
                database.url().replaceAll("/[^/]+$", "/no_database_" + suffix()))));
        printed.add(serve("no schema", with(working, "db.url", empty.url())));
        printed.add(serve("storage down", with(working, "storage.s3.endpoint", "http://127.0.0.1:1")));
        printed.add(serve("broker down", with(working, "amqp.port", "1")));
        printed.add(serve("wrong broker password", with(working, "amqp.password", "wrong-" + suffix())));
        try (Channel channel = broker.connection().createChannel()) {
            channel.queueDeclare(broker.requestQueue(), true, false, false, Map.of("x-queue-type", "classic"));
        }
        printed.add(serve("queue type changed", with(working, "amqp.quorum-queues", "true")));
        printed.add(run("unknown key", fileWith(working, "db.pasword=x\n")));
        printed.add(run("key set twice", fileWith(working, "db.pool-size=2\ndb.pool-size=3\n")));
        printed.add(run("bad value", fileWith(working, "amqp.prefetch=lots\n")));
        printed.add(run("secret twice", fileWith(working, "db.password=x\ndb.password-file=/run/secrets/db\n")));
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            printed.add(serve("port in use", with(working, "http.port", Integer.toString(taken.getLocalPort()))));
        }
        Path config = file(working);
        String email = "ann-" + suffix() + "@example.org";
        assertThat(run("add a user", config, "add-user", "--email", email, "--name", "Ann", "--quota", "1G").exitCode())
                .isZero();
        printed.add(run("user exists", config, "add-user", "--email", email, "--name", "Ann", "--quota", "1G"));
        printed.add(run("no such user", config, "set-quota", "--email", "nobody-" + email, "--quota", "1G"));
        return printed;
    }

    private static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> changed = new LinkedHashMap<>(base);
        changed.put(key, value);
        return changed;
    }

    private static Path file(Map<String, String> values) throws Exception {
        return fileWith(values, "");
    }

    private static Path fileWith(Map<String, String> values, String extraLines) throws Exception {
        Path file = Files.createTempFile(dir, "config", ".properties");
        Map<String, String> rest = new LinkedHashMap<>(values);
        // A line of extraLines replaces the same key of values, so the file never repeats a key by accident.
        extraLines.lines().forEach(line -> rest.remove(line.substring(0, line.indexOf('='))));
        Files.writeString(file, rest.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n")
                .collect(Collectors.joining()) + extraLines);
        return file;
    }

    private Printed serve(String situation, Map<String, String> values) throws Exception {
        return run(situation, file(values));
    }

    /** Runs the jar's main in-process; a start that succeeds (it would serve until stopped) fails the test. */
    private Printed run(String situation, Path config, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(command));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> code = executor.submit(() -> Main.run(args.toArray(String[]::new),
                    new ByteArrayInputStream("pw\n".getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    Map.of()));
            int exitCode = code.get(120, TimeUnit.SECONDS);
            List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            if (exitCode == 0) {
                return new Printed(situation, exitCode, "");
            }
            assertThat(lines).as(situation + ": one line on standard error").hasSize(1);
            return new Printed(situation, exitCode, lines.get(0).replaceFirst("^syncservice( [a-z-]+)?: ", ""));
        } finally {
            executor.shutdownNow();
        }
    }
}

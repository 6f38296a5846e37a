package org.syncservice.desktop;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.server.SyncService;
import org.syncservice.server.config.ConfigLoader;

/**
 * The service on the machine's PostgreSQL and RabbitMQ (a database and broker names of its own) and
 * an S3Proxy whose bucket is a directory, which an operator can back up and restore as the README
 * says, with {@code scripts/backup.sh} ({@code pg_dump -Fc} of the running service's database, then a
 * copy of the storage) and {@code scripts/restore.sh} (into a fresh database: {@code pg_restore},
 * {@code --init-db}, {@code new-epoch}, the jar's command line in processes of their own), the
 * storage copy put back, and the service started on the restored database. Devices keep their broker connections across the restore: the request
 * queue and notification exchange keep their names. Not thread-safe.
 */
final class RestorableService implements SyncWorld.Service {
    private static final String ACCESS_KEY = "backup-identity";
    private static final String SECRET_KEY = "backup-credential";
    private static final String BUCKET = "chunks";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final String brokerPrefix = "test.backup." + UUID.randomUUID();
    private final List<String> databases = new ArrayList<>();
    private String database;
    private Path storage;
    private BlobStore blobs;
    private S3Proxy s3;
    private SyncService service;

    private RestorableService(Path directory) {
        this.directory = directory;
    }

    /** A fresh database with the schema (--init-db), an empty store, and the service on them. */
    static RestorableService start(Path directory) throws Exception {
        RestorableService restorable = new RestorableService(directory);
        try {
            restorable.database = restorable.createDatabase();
            restorable.storage = Files.createDirectories(directory.resolve("storage"));
            restorable.startStorage();
            restorable.admin("--init-db");
            restorable.startService();
            return restorable;
        } catch (Exception | Error e) {
            restorable.close();
            throw e;
        }
    }

    /**
     * Backs the running service up, in the order docs/backup.md gives: the database with
     * {@code pg_dump -Fc} (consistent while it runs), then the storage (a copy of the bucket's
     * directory).
     *
     * @return the backup's directory
     */
    Path backUp(String name) throws Exception {
        Path backup = directory.resolve("backup-" + name);
        run(List.of(script("backup.sh"), "--config", writeConfig().toString(), "--to", backup.toString(),
                "--", "cp", "-a", storage.toString(), backup.resolve("storage").toString()), Map.of());
        return backup;
    }

    /**
     * Stops the service, restores {@code backup} into a fresh database and a fresh storage
     * directory, checks the schema with --init-db, starts a new epoch with the admin command, and
     * starts the service on the restored database. What the old database and store held after the
     * backup is gone, as after losing the machine.
     */
    void restore(Path backup) throws Exception {
        stopService();
        stopStorage();
        database = createDatabase();
        storage = directory.resolve("storage-restored-" + UUID.randomUUID());
        copyTree(backup.resolve("storage"), storage);
        startStorage();
        run(List.of(script("restore.sh"), "--config", writeConfig().toString(), "--from", backup.toString()),
                Map.of("SYNCSERVICE_CLASSPATH", System.getProperty("java.class.path")));
        startService();
    }

    /**
     * Chunks the database references (any kept version of any item) that storage does not hold,
     * as "prefix/chunk".
     */
    List<String> missingChunks() throws SQLException {
        List<String> missing = new ArrayList<>();
        try (Connection c = database();
             PreparedStatement ps = c.prepareStatement("SELECT DISTINCT w.storage_prefix, unnest(v.chunks)"
                     + " FROM item_versions v JOIN workspaces w ON w.workspace_id = v.workspace_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1) + rs.getString(2);
                if (!Files.isRegularFile(storage.resolve(BUCKET).resolve(key))) {
                    missing.add(key);
                }
            }
        }
        return missing;
    }

    /** How many chunk references the database holds (so that "none missing" says something). */
    long chunkReferences() throws SQLException {
        try (Connection c = database();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM item_versions, unnest(chunks)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public SyncClientOptions options() {
        return SyncClientOptions.builder()
                .host(amqpHost())
                .port(amqpPort())
                .requestQueue(brokerPrefix + ".requests")
                .callTimeout(Duration.ofSeconds(20))
                .pollInterval(Duration.ofSeconds(2))
                // Devices left running through a restore learn of it at their next routine catch-up.
                .checkInterval(Duration.ofSeconds(3))
                .build();
    }

    @Override
    public void createUser(String email, String password) {
        service.components().accounts().createUser(email, "User", password, 10L << 30);
    }

    @Override
    public Connection database() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), pgUser(), "");
    }

    @Override
    public void close() throws Exception {
        stopService();
        stopStorage();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(amqpHost());
        factory.setPort(amqpPort());
        try (com.rabbitmq.client.Connection connection = factory.newConnection("syncservice-test-cleanup");
             Channel channel = connection.createChannel()) {
            channel.queueDelete(brokerPrefix + ".requests");
            channel.exchangeDelete(brokerPrefix + ".notifications");
            channel.exchangeDelete(brokerPrefix + ".rpc");
        }
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), pgUser(), "");
             Statement statement = admin.createStatement()) {
            for (String name : databases) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }

    private Map<String, String> settings() {
        Map<String, String> values = new TreeMap<>();
        values.put("db.url", jdbcUrl(database));
        values.put("db.user", pgUser());
        values.put("amqp.host", amqpHost());
        values.put("amqp.port", Integer.toString(amqpPort()));
        values.put("amqp.request-queue", brokerPrefix + ".requests");
        values.put("amqp.request-exchange", brokerPrefix + ".rpc");
        values.put("amqp.notification-exchange", brokerPrefix + ".notifications");
        values.put("auth.password-hash-iterations", "10000");
        // Device queues the test leaves behind expire within minutes on the machine's broker.
        values.put("notifications.device-queue-ttl", "5m");
        values.put("storage.backend", "s3");
        values.put("storage.s3.endpoint", "http://127.0.0.1:" + s3.getPort());
        values.put("storage.s3.bucket", BUCKET);
        values.put("storage.s3.access-key", ACCESS_KEY);
        values.put("storage.s3.secret-key-file", directory.resolve("s3-secret-key").toString());
        return values;
    }

    private void startService() throws Exception {
        Files.writeString(directory.resolve("s3-secret-key"), SECRET_KEY + "\n");
        service = SyncService.start(ConfigLoader.load(settings()), "test", Clock.systemUTC());
    }

    private void stopService() {
        if (service != null) {
            service.close();
            service = null;
        }
    }

    /** Runs the jar's command line ({@code --config FILE ARGS}) in a JVM of its own, as an operator would. */
    private void admin(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "org.syncservice.server.Main", "--config", writeConfig().toString()));
        command.addAll(List.of(args));
        run(command, Map.of());
    }

    /** The service's configuration as an operator's file, with the storage secret in a file of its own. */
    private Path writeConfig() throws IOException {
        Files.writeString(directory.resolve("s3-secret-key"), SECRET_KEY + "\n");
        StringBuilder config = new StringBuilder();
        settings().forEach((key, value) -> config.append(key).append('=').append(value).append('\n'));
        return Files.writeString(directory.resolve("config.properties"), config.toString());
    }

    private static String script(String name) {
        return Path.of(System.getProperty("syncservice.projectRoot", "..")).toAbsolutePath().normalize()
                .resolve("scripts").resolve(name).toString();
    }

    private void startStorage() throws Exception {
        Files.createDirectories(storage.resolve(BUCKET));
        blobs = new FilesystemNio2BlobStore(storage.toString());
        s3 = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        s3.start();
        for (int i = 0; i < 500 && !"STARTED".equals(s3.getState()); i++) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(s3.getState())) {
            throw new IllegalStateException("S3Proxy did not start: " + s3.getState());
        }
    }

    private void stopStorage() throws Exception {
        if (s3 != null) {
            s3.stop();
            s3 = null;
        }
        if (blobs != null) {
            blobs.close();
            blobs = null;
        }
    }

    private String createDatabase() throws SQLException {
        String name = "syncservice_backup_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        try (Connection admin = DriverManager.getConnection(jdbcUrl("postgres"), pgUser(), "");
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        databases.add(name);
        return name;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Runs a command to its end; fails with what it printed when it exits other than 0. */
    private void run(List<String> command, Map<String, String> environment) throws Exception {
        Path output = Files.createTempFile(directory, "command-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish: " + Files.readString(output));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " exited "
                    + process.exitValue() + ": " + Files.readString(output, StandardCharsets.UTF_8));
        }
    }

    private static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + pgHost() + ":" + pgPort() + "/" + database;
    }

    private static String pgHost() {
        return env("SYNCSERVICE_TEST_PG_HOST", "127.0.0.1");
    }

    private static String pgPort() {
        return env("SYNCSERVICE_TEST_PG_PORT", "5432");
    }

    private static String pgUser() {
        return env("SYNCSERVICE_TEST_PG_USER", "postgres");
    }

    private static String amqpHost() {
        return env("SYNCSERVICE_TEST_AMQP_HOST", "127.0.0.1");
    }

    private static int amqpPort() {
        return Integer.parseInt(env("SYNCSERVICE_TEST_AMQP_PORT", "5672"));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}

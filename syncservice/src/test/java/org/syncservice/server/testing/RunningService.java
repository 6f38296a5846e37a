package org.syncservice.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.syncservice.client.SyncClient;
import org.syncservice.client.SyncClientOptions;
import org.syncservice.server.SyncService;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.storage.ChunkStorage;

/**
 * The whole service, started in-process through the same composition root as the jar, on a
 * database and broker names of its own (the real PostgreSQL and RabbitMQ of the machine).
 * Closing it stops the service and removes the database and the broker objects.
 */
public final class RunningService implements AutoCloseable {
    private final TestDatabase database;
    private final TestBroker broker;
    private final Map<String, String> values;
    private final ServiceConfig config;
    private final SyncService service;

    private RunningService(TestDatabase database, TestBroker broker, Map<String, String> values, ServiceConfig config,
                           SyncService service) {
        this.database = database;
        this.broker = broker;
        this.values = values;
        this.config = config;
        this.service = service;
    }

    public static RunningService start() throws Exception {
        return start(Map.of());
    }

    /**
     * With chunk storage in memory (tests that are not about storage need no storage server).
     *
     * @param overrides config keys to set beyond what the test harness sets
     */
    public static RunningService start(Map<String, String> overrides) throws Exception {
        return start(overrides, config -> new InMemoryChunkStorage(config.storage().backend()));
    }

    /** With the chunk storage {@code storage} builds from the effective config; the service starts and closes it. */
    public static RunningService start(Map<String, String> overrides,
                                       java.util.function.Function<ServiceConfig, ChunkStorage> storage)
            throws Exception {
        return start(overrides, storage, TestDatabase::url, TestBroker::create);
    }

    /** On the broker (a cluster node) {@code broker} makes names on; the service closes it. */
    public static RunningService startOn(Map<String, String> overrides, BrokerFactory broker) throws Exception {
        return start(overrides, config -> new InMemoryChunkStorage(config.storage().backend()), TestDatabase::url,
                broker);
    }

    /** Makes the {@link TestBroker} a service runs on. */
    @FunctionalInterface
    public interface BrokerFactory {
        TestBroker create() throws Exception;
    }

    /**
     * With the service reaching its database at {@code databaseUrl} (a proxy's, say); the schema
     * is installed and the database dropped directly.
     */
    public static RunningService startWithDatabaseUrl(Map<String, String> overrides,
                                                      java.util.function.Function<TestDatabase, String> databaseUrl)
            throws Exception {
        return start(overrides, config -> new InMemoryChunkStorage(config.storage().backend()), databaseUrl,
                TestBroker::create);
    }

    private static RunningService start(Map<String, String> overrides,
                                        java.util.function.Function<ServiceConfig, ChunkStorage> storage,
                                        java.util.function.Function<TestDatabase, String> databaseUrl,
                                        BrokerFactory brokers)
            throws Exception {
        TestDatabase database = TestDatabase.create();
        TestBroker broker = null;
        try {
            broker = brokers.create();
            Map<String, String> values = new HashMap<>();
            values.put("db.url", databaseUrl.apply(database));
            values.put("db.user", TestDatabase.user());
            values.put("amqp.host", broker.brokerHost());
            values.put("amqp.port", Integer.toString(broker.brokerPort()));
            values.put("amqp.request-queue", broker.requestQueue());
            values.put("amqp.notification-exchange", broker.notificationExchange());
            values.put("auth.password-hash-iterations", "10000");
            values.put("auth.min-password-length", "1");
            // Device queues the tests leave behind expire within minutes, not the production week:
            // the machine's broker must not pile them up across runs.
            values.put("notifications.device-queue-ttl", "1m");
            values.putAll(overrides);
            ServiceConfig config = ConfigLoader.load(values);
            SyncService service = SyncService.start(config, "test", Clock.systemUTC(), storage.apply(config));
            return new RunningService(database, broker, Map.copyOf(values), config, service);
        } catch (Exception | Error e) {
            if (broker != null) {
                broker.close();
            }
            database.close();
            throw e;
        }
    }

    /**
     * Another instance of the service on this one's database and request queue, as an operator
     * runs several; the caller closes it (before this one).
     *
     * @param overrides config keys that differ from this instance's
     * @param serverVersion what the instance says in get_server_info, to tell instances apart
     */
    public SyncService startPeer(Map<String, String> overrides, String serverVersion) throws Exception {
        Map<String, String> peerValues = new HashMap<>(values);
        peerValues.putAll(overrides);
        ServiceConfig peerConfig = ConfigLoader.load(peerValues);
        return SyncService.start(peerConfig, serverVersion, Clock.systemUTC(),
                new InMemoryChunkStorage(peerConfig.storage().backend()));
    }

    public SyncClientOptions clientOptions() {
        return SyncClientOptions.builder()
                .host(broker.brokerHost())
                .port(broker.brokerPort())
                .requestQueue(broker.requestQueue())
                .callTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A new client connection; the caller closes it. */
    public SyncClient newClient() {
        return SyncClient.connect(clientOptions());
    }

    public SyncService service() {
        return service;
    }

    public ServiceConfig config() {
        return config;
    }

    public TestDatabase database() {
        return database;
    }

    public TestBroker broker() {
        return broker;
    }

    @Override
    public void close() throws Exception {
        try {
            service.close();
        } finally {
            try {
                broker.close();
            } finally {
                database.close();
            }
        }
    }
}

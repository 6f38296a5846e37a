package org.syncservice.server;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.core.DaemonThreads;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.notify.OutboxPublisher;
import org.syncservice.server.notify.RevokedConnectionCloser;
import org.syncservice.server.retention.RetentionTask;
import org.syncservice.server.rpc.BrokerIdentities;
import org.syncservice.server.rpc.DeviceRateLimiter;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.wire.NotificationWire;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorages;
import org.syncservice.server.store.jdbc.DataSources;
import org.syncservice.server.store.jdbc.JdbcDisconnectStore;
import org.syncservice.server.store.jdbc.JdbcOutboxStore;
import org.syncservice.server.store.jdbc.SchemaMigrations;
import org.syncservice.server.store.jdbc.SchemaState;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.transport.amqp.AmqpDeviceQueues;
import org.syncservice.server.transport.management.ManagementApiConnections;
import org.syncservice.server.transport.amqp.AmqpNotificationSink;
import org.syncservice.server.transport.amqp.AmqpRpcServer;
import org.syncservice.server.transport.amqp.BrokerTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every component of a running service from its configuration,
 * with constructor injection, and owns their lifecycles. The command line, the admin commands
 * and the tests all start the service through here, so they run the same wiring.
 */
public final class SyncService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncService.class);

    private final HikariDataSource dataSource;
    private final Optional<HikariDataSource> standbyDataSource;
    private final ChunkStorage storage;
    private final ServiceComponents components;
    private final AmqpRpcServer rpcServer;
    /** Serves the requests of operations scheduled apart; shut down once the server stopped taking requests. */
    private final ExecutorService otherRequests;
    private final AmqpDeviceQueues deviceQueues;
    private final OutboxPublisher publisher;
    private final RetentionTask retention;
    private final RevokedConnectionCloser disconnects;
    private final Observability observability;

    private SyncService(HikariDataSource dataSource, Optional<HikariDataSource> standbyDataSource, ChunkStorage storage, ServiceComponents components,
                        AmqpRpcServer rpcServer, ExecutorService otherRequests, AmqpDeviceQueues deviceQueues,
                        OutboxPublisher publisher, RetentionTask retention, RevokedConnectionCloser disconnects,
                        Observability observability) {
        this.dataSource = dataSource;
        this.standbyDataSource = standbyDataSource;
        this.storage = storage;
        this.components = components;
        this.rpcServer = rpcServer;
        this.otherRequests = otherRequests;
        this.deviceQueues = deviceQueues;
        this.publisher = publisher;
        this.retention = retention;
        this.disconnects = disconnects;
        this.observability = observability;
    }

    /**
     * Connects to PostgreSQL, the storage back-end {@code storage.backend} selects and the broker,
     * declares the topology and starts serving.
     */
    public static SyncService start(ServiceConfig config, String version, Clock clock) throws Exception {
        return start(config, version, clock, ChunkStorages.create(config.storage(), clock));
    }

    /**
     * As {@link #start(ServiceConfig, String, Clock)} with the given chunk storage (not started yet),
     * which the service then owns: it starts it and closes it on close or failed start-up.
     */
    public static SyncService start(ServiceConfig config, String version, Clock clock, ChunkStorage storage)
            throws Exception {
        Observability observability = new Observability(config.http(), version);
        HikariDataSource dataSource;
        try {
            dataSource = DataSources.pooled(config.database(), "syncservice", observability.poolMetrics());
        } catch (HikariPool.PoolInitializationException e) {
            observability.close();
            storage.close();
            throw new StartupException(FailureMessages.cannotConnectToDatabase(config.database().url(), e), e);
        }
        Optional<HikariDataSource> standbyDataSource = config.database().standby().map(standby ->
                DataSources.standby(config.database(), standby, "syncservice-standby", observability.poolMetrics()));
        try {
            requireSchema(dataSource, config.database().url());
            try {
                storage.start();
            } catch (Exception e) {
                throw new StartupException(FailureMessages.cannotUseStorage(config.storage(), e), e);
            }
            String instance = instanceName();
            AmqpConnector connector = new AmqpConnector(config.amqp());
            NotificationRoutes routes = new NotificationRoutes(config.amqp().notificationExchange());
            AmqpDeviceQueues deviceQueues = new AmqpDeviceQueues(connector, routes, config.notifications(),
                    instance + " queues");
            OutboxPublisher publisher = new OutboxPublisher(new JdbcOutboxStore(dataSource),
                    new AmqpNotificationSink(connector, routes.exchange(), instance + " notifications",
                            config.notifications().persistent()),
                    deviceQueues, new NotificationWire(config.notifications().maxNotificationBytes()),
                    config.notifications(), clock, observability.batchObserver(),
                    "outbox-publisher");
            ServiceComponents components = new ServiceComponents(dataSource, config, storage, clock, deviceQueues,
                    publisher::wake, BrokerTokens.configured(config, routes, clock),
                    standbyDataSource.map(DataSource.class::cast));
            HandlerRegistry handlers = handlers(components, config, version, clock, observability.batchObserver());
            ExecutorService otherRequests = Executors.newFixedThreadPool(config.amqp().otherRequestThreads(),
                    DaemonThreads.named("rpc-other-"));
            RequestProcessor processor = new RequestProcessor(
                    config.limits().maxMessageBytes(), handlers, components.authenticator(),
                    DeviceRateLimiter.perSecond(config.limits().requestsPerSecondPerDevice()), clock,
                    observability.requestObserver(),
                    new BrokerIdentities(config.auth().requireBrokerUserId(), config.auth().brokerLoginUser()),
                    otherRequests);
            AmqpRpcServer rpcServer = new AmqpRpcServer(connector, config.amqp(), processor, instance);
            RetentionTask retention = new RetentionTask(components.retention(observability.retentionObserver()),
                    config.retention().interval(), "retention");
            RevokedConnectionCloser disconnects = new RevokedConnectionCloser(new JdbcDisconnectStore(dataSource),
                    ManagementApiConnections.configured(config.amqp()), config.auth().tokenCacheTtl(),
                    "revoked-connections");
            SyncService service = new SyncService(dataSource, standbyDataSource, storage, components, rpcServer, otherRequests,
                    deviceQueues, publisher, retention, disconnects, observability);
            try {
                deviceQueues.start();
                publisher.start();
                rpcServer.start();
                retention.start();
                disconnects.start();
            } catch (Exception e) {
                disconnects.close();
                retention.close();
                rpcServer.close();
                otherRequests.shutdown();
                publisher.close();
                deviceQueues.close();
                throw new StartupException("cannot serve on the broker at " + connector.describe() + ": "
                        + FailureMessages.rootMessage(e), e);
            }
            try {
                observability.start(components.status(), service::brokerHealthy, service::storageReachable,
                        components.standbyListings());
            } catch (java.io.IOException e) {
                disconnects.close();
                retention.close();
                rpcServer.close();
                otherRequests.shutdown();
                publisher.close();
                deviceQueues.close();
                throw new StartupException("cannot listen on " + config.http().bindAddress() + ":"
                        + config.http().port() + " (http.bind-address, http.port): " + e.getMessage(), e);
            }
            log.info("syncservice {} ready: queue {} on {}, database {}{}, storage {}", version,
                    config.amqp().requestQueue(), connector.describe(), config.database().url(),
                    config.database().standby().map(standby -> " (listings from standby " + standby.url() + ")")
                            .orElse(""),
                    config.storage().backend().name().toLowerCase(java.util.Locale.ROOT));
            return service;
        } catch (Exception e) {
            storage.close();
            dataSource.close();
            standbyDataSource.ifPresent(HikariDataSource::close);
            observability.close();
            throw e;
        }
    }

    /** The handlers of every operation the service serves, as it serves them; {@code batches} sees the commit groups. */
    static HandlerRegistry handlers(ServiceComponents components, ServiceConfig config, String version, Clock clock,
                                    BatchObserver batches) {
        return components.addHandlers(HandlerRegistry.builder(), batches)
                .build(operations -> new ServerInfoHandler(version, config.limits(), config.retention(),
                        config.locks(), config.storage().backend(), components.storage().uploadChecks(), config.amqp().notificationExchange(),
                        config.amqp().user(), new ServerInfoHandler.Broker(config.amqp().requestExchange(),
                                components.servesBrokerTokens()), operations, clock));
    }

    /**
     * Applies the pending schema migrations (baselining a database that setup_db.sql built) and
     * returns the version the database has then.
     *
     * @throws StartupException when the database is newer, not the service's or holds a failed migration
     */
    public static int initDatabase(ServiceConfig config) throws SQLException, StartupException {
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), "syncservice-init")) {
            SchemaState state = new SchemaMigrations(dataSource).migrate();
            String problem = state.problem(config.database().url()).orElse(null);
            if (problem != null) {
                throw new StartupException(problem, null);
            }
            return state.found();
        }
    }

    /** The service logic this instance serves, for admin commands and tests running in-process. */
    public ServiceComponents components() {
        return components;
    }

    /** The instance's outbox publisher (tests stop it to leave rows pending). */
    public OutboxPublisher publisher() {
        return publisher;
    }

    /** Where the health and metrics endpoint listens; empty when {@code http.port} is 0. */
    public java.util.Optional<java.net.InetSocketAddress> httpAddress() {
        return observability.address();
    }

    /** Whether the broker side works: requests consumed, notifications published, device queues declared. */
    boolean brokerHealthy() {
        return rpcServer.isHealthy() && publisher.isHealthy() && deviceQueues.isHealthy();
    }

    /** Whether the storage back-end answers now (one request to it; no side effect). */
    boolean storageReachable() {
        try {
            storage.check();
            return true;
        } catch (RuntimeException e) {
            log.debug("storage check failed: {}", e.toString());
            return false;
        }
    }

    public boolean isHealthy() {
        return rpcServer.isHealthy() && publisher.isHealthy() && deviceQueues.isHealthy() && dataSource.isRunning()
                && storage.isHealthy();
    }

    /**
     * Stops consuming, finishes the requests in progress, publishes the notifications still pending
     * (bounded), then closes the broker connections and the pool.
     */
    @Override
    public void close() {
        rpcServer.close();
        otherRequests.shutdown();
        disconnects.close();
        retention.close();
        publisher.close();
        deviceQueues.close();
        storage.close();
        observability.close();
        dataSource.close();
        standbyDataSource.ifPresent(HikariDataSource::close);
        log.info("syncservice stopped");
    }

    /** Refuses a database whose schema is not the version this build expects (or none). */
    static void requireSchema(HikariDataSource dataSource, String url) throws SQLException, StartupException {
        String problem = new SchemaMigrations(dataSource).inspect().problem(url).orElse(null);
        if (problem != null) {
            throw new StartupException(problem, null);
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return "syncservice@" + host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Start-up failed for a reason an operator can fix; the message says which. */
    public static final class StartupException extends Exception {
        StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

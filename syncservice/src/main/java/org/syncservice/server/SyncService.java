package org.syncservice.server;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.rpc.handlers.ServerInfoHandler;
import org.syncservice.server.store.jdbc.DataSources;
import org.syncservice.server.store.jdbc.SchemaInstaller;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.transport.amqp.AmqpRpcServer;
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
    private final ServiceComponents components;
    private final AmqpRpcServer rpcServer;
    private final Observability observability;

    private SyncService(HikariDataSource dataSource, ServiceComponents components, AmqpRpcServer rpcServer,
                        Observability observability) {
        this.dataSource = dataSource;
        this.components = components;
        this.rpcServer = rpcServer;
        this.observability = observability;
    }

    /** Connects to PostgreSQL and the broker, declares the topology and starts serving. */
    public static SyncService start(ServiceConfig config, String version, Clock clock) throws Exception {
        Observability observability = new Observability(config.http());
        HikariDataSource dataSource = DataSources.pooled(config.database(), "syncservice", observability.poolMetrics());
        try {
            requireSchema(dataSource, config.database().url());
            ServiceComponents components = new ServiceComponents(dataSource, config, clock);
            HandlerRegistry handlers = components.addHandlers(HandlerRegistry.builder())
                    .build(operations -> new ServerInfoHandler(version, config.limits(), config.storage().backend(),
                            config.amqp().notificationExchange(), operations, clock));
            RequestProcessor processor = new RequestProcessor(
                    config.limits().maxMessageBytes(), handlers, components.authenticator(), clock,
                    observability.requestObserver());
            AmqpConnector connector = new AmqpConnector(config.amqp());
            AmqpRpcServer rpcServer = new AmqpRpcServer(connector, config.amqp(), processor, instanceName());
            SyncService service = new SyncService(dataSource, components, rpcServer, observability);
            try {
                rpcServer.start();
            } catch (Exception e) {
                rpcServer.close();
                throw new StartupException("cannot serve on the broker at " + connector.describe() + ": " + e, e);
            }
            try {
                observability.start(components.status(), rpcServer::isHealthy);
            } catch (java.io.IOException e) {
                rpcServer.close();
                throw new StartupException("cannot listen on " + config.http().bindAddress() + ":"
                        + config.http().port() + " (http.bind-address, http.port): " + e.getMessage(), e);
            }
            log.info("syncservice {} ready: queue {} on {}, database {}, storage {}", version,
                    config.amqp().requestQueue(), connector.describe(), config.database().url(),
                    config.storage().backend().name().toLowerCase(java.util.Locale.ROOT));
            return service;
        } catch (Exception e) {
            dataSource.close();
            observability.close();
            throw e;
        }
    }

    /** Applies the schema (idempotently) and returns the version the database has. */
    public static int initDatabase(ServiceConfig config) throws SQLException {
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), "syncservice-init")) {
            return new SchemaInstaller(dataSource).apply();
        }
    }

    /** The service logic this instance serves, for admin commands and tests running in-process. */
    public ServiceComponents components() {
        return components;
    }

    /** Where the health and metrics endpoint listens; empty when {@code http.port} is 0. */
    public java.util.Optional<java.net.InetSocketAddress> httpAddress() {
        return observability.address();
    }

    public boolean isHealthy() {
        return rpcServer.isHealthy() && dataSource.isRunning();
    }

    /** Stops consuming, finishes the requests in progress, then closes the broker connection and the pool. */
    @Override
    public void close() {
        rpcServer.close();
        observability.close();
        dataSource.close();
        log.info("syncservice stopped");
    }

    static void requireSchema(HikariDataSource dataSource, String url) throws SQLException, StartupException {
        try (Connection connection = dataSource.getConnection();
             var statement = connection.prepareStatement("SELECT to_regclass('schema_version') IS NOT NULL");
             var rows = statement.executeQuery()) {
            rows.next();
            boolean present = rows.getBoolean(1);
            connection.rollback();
            if (!present) {
                throw new StartupException("the database at " + url
                        + " has no syncservice schema: apply it with --init-db (or psql -f setup_db.sql)", null);
            }
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

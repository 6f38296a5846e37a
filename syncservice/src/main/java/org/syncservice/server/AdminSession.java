package org.syncservice.server;

import com.rabbitmq.client.Connection;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.admin.AdminEnvironment;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.ServiceException;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.retention.Retention;
import org.syncservice.server.retention.RetentionObserver;
import org.syncservice.server.status.StatusStore;
import org.syncservice.server.sync.CursorKeyStore;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.ChunkStorages;
import org.syncservice.server.store.jdbc.DataSources;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.workspace.WorkspaceService;

/**
 * The wiring of one admin command: the same {@link ServiceComponents} as the running service,
 * over a small pool opened on first use, and no broker (only {@code status} connects to it, and
 * only to see that it can). Not thread-safe.
 */
final class AdminSession implements AdminEnvironment, AutoCloseable {
    private final ServiceConfig config;
    private final Clock clock;
    private final InputStream in;
    private final PrintStream out;
    private final Map<String, String> env;
    private HikariDataSource dataSource;
    private ChunkStorage storage;
    private ServiceComponents components;

    AdminSession(ServiceConfig config, Clock clock, InputStream in, PrintStream out, Map<String, String> env) {
        this.config = config;
        this.clock = clock;
        this.in = in;
        this.out = out;
        this.env = env;
    }

    private ServiceComponents components() {
        if (components == null) {
            HikariDataSource opened;
            try {
                opened = DataSources.pooled(config.database(), "syncservice-admin");
            } catch (HikariPool.PoolInitializationException e) {
                throw ServiceException.unavailable("cannot connect to PostgreSQL: " + rootMessage(e), null, null);
            }
            try {
                SyncService.requireSchema(opened, config.database().url());
            } catch (Exception e) {
                opened.close();
                throw ServiceException.unavailable(e instanceof SyncService.StartupException
                        ? e.getMessage() : "cannot use PostgreSQL: " + rootMessage(e), null, null);
            }
            ChunkStorage chunks = ChunkStorages.create(config.storage(), clock);
            try {
                chunks.start();
            } catch (Exception e) {
                opened.close();
                chunks.close();
                throw ServiceException.unavailable("cannot use the " + config.storage().backend().name()
                        .toLowerCase(java.util.Locale.ROOT) + " storage back-end: " + rootMessage(e), null, null);
            }
            dataSource = opened;
            storage = chunks;
            components = new ServiceComponents(dataSource, config, storage, clock);
        }
        return components;
    }

    @Override
    public AccountService accounts() {
        return components().accounts();
    }

    @Override
    public WorkspaceService workspaces() {
        return components().workspaces();
    }

    @Override
    public StatusStore status() {
        return components().status();
    }

    @Override
    public OutboxStore outbox() {
        return components().outbox();
    }

    @Override
    public CursorKeyStore cursorKeys() {
        return components().cursorKeys();
    }

    @Override
    public Retention retention() {
        return components().retention(RetentionObserver.NONE);
    }

    @Override
    public String databaseDescription() {
        return config.database().url();
    }

    @Override
    public String brokerDescription() {
        return new AmqpConnector(config.amqp()).describe();
    }

    @Override
    public Optional<String> brokerProblem() {
        try (Connection connection = new AmqpConnector(config.amqp()).open("syncservice-admin", null)) {
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of(rootMessage(e));
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public PrintStream out() {
        return out;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public void close() {
        if (storage != null) {
            storage.close();
        }
        if (dataSource != null) {
            dataSource.close();
        }
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}

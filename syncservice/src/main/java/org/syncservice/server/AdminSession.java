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
import org.syncservice.server.storage.StartedOnFirstUse;
import org.syncservice.server.store.jdbc.DataSources;
import org.syncservice.server.transport.amqp.AmqpConnector;
import org.syncservice.server.workspace.GroupService;
import org.syncservice.server.workspace.WorkspaceService;

/**
 * The wiring of one admin command: the same {@link ServiceComponents} as the running service,
 * over a small pool opened on first use and a storage back-end started on first use (a command
 * that touches no chunks never reaches storage), and no broker (only {@code status} connects to
 * it, and only to see that it can). Not thread-safe.
 */
final class AdminSession implements AdminEnvironment, AutoCloseable {
    private final ServiceConfig config;
    private final Clock clock;
    private final InputStream in;
    private final PrintStream out;
    private final Map<String, String> env;
    private final ChunkStorage storage;
    private HikariDataSource dataSource;
    private ServiceComponents components;

    AdminSession(ServiceConfig config, Clock clock, InputStream in, PrintStream out, Map<String, String> env) {
        this.config = config;
        this.clock = clock;
        this.in = in;
        this.out = out;
        this.env = env;
        this.storage = new StartedOnFirstUse(ChunkStorages.create(config.storage(), clock));
    }

    private ServiceComponents components() {
        if (components == null) {
            HikariDataSource opened;
            try {
                opened = DataSources.pooled(config.database(), "syncservice-admin");
            } catch (HikariPool.PoolInitializationException e) {
                throw ServiceException.unavailable(FailureMessages.cannotConnectToDatabase(config.database().url(), e),
                        null, null);
            }
            try {
                SyncService.requireSchema(opened, config.database().url());
            } catch (Exception e) {
                opened.close();
                throw ServiceException.unavailable(e instanceof SyncService.StartupException
                        ? e.getMessage() : "cannot use PostgreSQL at " + config.database().url() + ": "
                        + FailureMessages.rootMessage(e), null, null);
            }
            dataSource = opened;
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
    public GroupService groups() {
        return components().groups();
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
            return Optional.of(FailureMessages.rootMessage(e));
        }
    }

    @Override
    public String storageDescription() {
        return config.storage().describe();
    }

    @Override
    public Optional<String> storageProblem() {
        try {
            storage.check();
            return Optional.empty();
        } catch (ServiceException e) {
            return Optional.of(e.getCause() == null ? e.getMessage() : e.getMessage() + ": " + FailureMessages.rootMessage(e));
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
        storage.close();
        if (dataSource != null) {
            dataSource.close();
        }
    }
}

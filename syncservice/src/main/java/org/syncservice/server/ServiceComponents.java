package org.syncservice.server;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.syncservice.server.account.AccountService;
import org.syncservice.server.account.PasswordCheckGate;
import org.syncservice.server.account.PasswordPolicy;
import org.syncservice.server.auth.Authenticator;
import org.syncservice.server.auth.BrokerTokenIssuer;
import org.syncservice.server.auth.BrokerTokenService;
import org.syncservice.server.auth.DeviceTokens;
import org.syncservice.server.auth.PasswordHasher;
import org.syncservice.server.auth.TokenAuthenticator;
import org.syncservice.server.config.LimitsConfig;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.core.BatchObserver;
import org.syncservice.server.notify.DeviceQueues;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.notify.NotificationSubscriptions;
import org.syncservice.server.notify.OutboxStore;
import org.syncservice.server.retention.ChunkCollector;
import org.syncservice.server.retention.MetadataPurge;
import org.syncservice.server.retention.Retention;
import org.syncservice.server.retention.RetentionObserver;
import org.syncservice.server.retention.RetentionStore;
import org.syncservice.server.rpc.HandlerRegistry;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.SignallingHandler;
import org.syncservice.server.rpc.handlers.AcknowledgeChangesHandler;
import org.syncservice.server.rpc.handlers.ChangePasswordHandler;
import org.syncservice.server.rpc.handlers.CommitHandler;
import org.syncservice.server.rpc.handlers.GetAccountInfoHandler;
import org.syncservice.server.rpc.handlers.GetChangesHandler;
import org.syncservice.server.rpc.handlers.GetMissingChunksHandler;
import org.syncservice.server.rpc.handlers.GetStorageUrlsHandler;
import org.syncservice.server.rpc.handlers.GetWorkspaceDigestHandler;
import org.syncservice.server.rpc.handlers.ListDevicesHandler;
import org.syncservice.server.rpc.handlers.ListItemVersionsHandler;
import org.syncservice.server.rpc.handlers.AddGroupMemberHandler;
import org.syncservice.server.rpc.handlers.ChangeMemberRoleHandler;
import org.syncservice.server.rpc.handlers.CreateGroupHandler;
import org.syncservice.server.rpc.handlers.DeleteGroupHandler;
import org.syncservice.server.rpc.handlers.ListGroupsHandler;
import org.syncservice.server.rpc.handlers.RemoveGroupMemberHandler;
import org.syncservice.server.rpc.handlers.ListMembersHandler;
import org.syncservice.server.rpc.handlers.ListWorkspacesHandler;
import org.syncservice.server.rpc.handlers.LockItemHandler;
import org.syncservice.server.rpc.handlers.LoginHandler;
import org.syncservice.server.rpc.handlers.RefreshBrokerTokenHandler;
import org.syncservice.server.rpc.handlers.RestoreVersionHandler;
import org.syncservice.server.rpc.handlers.ShareFolderHandler;
import org.syncservice.server.rpc.handlers.SubscribeNotificationsHandler;
import org.syncservice.server.rpc.handlers.UnlockItemHandler;
import org.syncservice.server.rpc.handlers.UnregisterDeviceHandler;
import org.syncservice.server.rpc.handlers.UnshareFolderHandler;
import org.syncservice.server.rpc.handlers.UpdateDeviceHandler;
import org.syncservice.server.rpc.handlers.UpdateWorkspaceHandler;
import org.syncservice.server.status.StatusStore;
import org.syncservice.server.storage.ChunkStorage;
import org.syncservice.server.storage.MissingChunkService;
import org.syncservice.server.storage.StorageLayout;
import org.syncservice.server.storage.StorageUrlService;
import org.syncservice.server.storage.StoredChunkVerifier;
import org.syncservice.server.store.jdbc.JdbcAccountStore;
import org.syncservice.server.store.jdbc.JdbcCursorKeyStore;
import org.syncservice.server.store.jdbc.JdbcLockStore;
import org.syncservice.server.store.jdbc.JdbcOutboxStore;
import org.syncservice.server.store.jdbc.JdbcLoginFailures;
import org.syncservice.server.store.jdbc.JdbcRetentionStore;
import org.syncservice.server.store.jdbc.JdbcGroupStore;
import org.syncservice.server.store.jdbc.JdbcRoleStore;
import org.syncservice.server.store.jdbc.JdbcSharingStore;
import org.syncservice.server.store.jdbc.JdbcStatusStore;
import org.syncservice.server.store.jdbc.JdbcSyncStore;
import org.syncservice.server.store.jdbc.JdbcWorkspaceDigestStore;
import org.syncservice.server.store.jdbc.JdbcWorkspaceStore;
import org.syncservice.server.sync.ChangeFeed;
import org.syncservice.server.sync.ChangeLimits;
import org.syncservice.server.sync.ChunkVerifier;
import org.syncservice.server.sync.CommitBatcher;
import org.syncservice.server.sync.CommitService;
import org.syncservice.server.sync.CursorKeyStore;
import org.syncservice.server.sync.ItemNames;
import org.syncservice.server.sync.LockService;
import org.syncservice.server.sync.StandbyListings;
import org.syncservice.server.sync.WorkspaceDigests;
import org.syncservice.server.workspace.GroupService;
import org.syncservice.server.workspace.RoleService;
import org.syncservice.server.workspace.SharingService;
import org.syncservice.server.workspace.WorkspaceService;

/**
 * The service logic built over one database: stores, services and the authenticator, wired once.
 * {@link SyncService} serves them over the broker; admin commands and tests use the same object
 * without a broker, so there is one wiring. Owns no resources (the DataSource, the chunk storage
 * and the device queues are the caller's, started before and closed after). Without device
 * queues, subscribe_notifications is not served; without a broker token issuer, refresh_broker_token
 * is not. Thread-safe.
 */
public final class ServiceComponents {
    /** Tokens cached per instance; beyond this the least used are looked up again. */
    static final long MAX_CACHED_TOKENS = 100_000;

    private final TokenAuthenticator authenticator;
    private final AccountService accounts;
    private final WorkspaceService workspaces;
    private final SharingService sharing;
    private final RoleService roles;
    private final GroupService groups;
    private final CommitService commits;
    private final LockService locks;
    private final ChangeFeed changes;
    private final StandbyListings standbyListings;
    private final NotificationSubscriptions subscriptions;
    private final Runnable outboxSignal;
    private final ChunkStorage storage;
    private final StorageUrlService storageUrls;
    private final MissingChunkService missingChunks;
    private final StatusStore status;
    private final OutboxStore outbox;
    private final CursorKeyStore cursorKeys;
    private final WorkspaceDigests workspaceDigests;
    private final RetentionStore retentionStore;
    private final ServiceConfig config;
    private final Clock clock;
    private final Optional<BrokerTokenService> brokerTokens;

    /** Components without a broker: notifications are written to the outbox and never subscribed to. */
    public ServiceComponents(DataSource dataSource, ServiceConfig config, ChunkStorage storage, Clock clock) {
        this(dataSource, config, storage, clock, null, () -> { });
    }

    /**
     * @param deviceQueues the broker's device queues, for subscribe_notifications; null for none
     * @param outboxSignal run after every request that wrote an outbox row (wakes the publisher)
     */
    public ServiceComponents(DataSource dataSource, ServiceConfig config, ChunkStorage storage, Clock clock,
                             DeviceQueues deviceQueues, Runnable outboxSignal) {
        this(dataSource, config, storage, clock, deviceQueues, outboxSignal, Optional.empty(), Optional.empty());
    }

    /**
     * @param brokerTokens signs devices' broker tokens (login, refresh_broker_token); empty to hand out none
     * @param standby a streaming-replication standby of {@code dataSource} that serves listings; empty for none
     */
    public ServiceComponents(DataSource dataSource, ServiceConfig config, ChunkStorage storage, Clock clock,
                             DeviceQueues deviceQueues, Runnable outboxSignal,
                             Optional<BrokerTokenIssuer> brokerTokens, Optional<DataSource> standby) {
        SecureRandom random = new SecureRandom();
        JdbcAccountStore accountStore = new JdbcAccountStore(dataSource);
        this.authenticator = new TokenAuthenticator(accountStore, config.auth().tokenCacheTtl(), MAX_CACHED_TOKENS,
                config.auth().deviceIdleLifetime(), clock);
        this.brokerTokens = brokerTokens.map(issuer -> new BrokerTokenService(accountStore, issuer));
        StorageLayout storageLayout = new StorageLayout(config.storage());
        this.accounts = new AccountService(accountStore,
                new PasswordHasher(config.auth().passwordHashIterations(), random),
                new PasswordPolicy(config.auth().minPasswordLength()),
                new PasswordCheckGate(new JdbcLoginFailures(dataSource, config.auth().loginFreeFailures(),
                        config.auth().loginMaxDelay()), config.auth().loginMaxDelay(),
                        config.auth().passwordChecksAtOnce(), clock),
                new DeviceTokens(random),
                authenticator, storageLayout, storage);
        JdbcWorkspaceStore workspaceStore = new JdbcWorkspaceStore(dataSource);
        this.workspaces = new WorkspaceService(workspaceStore, config.limits().maxNameBytes(), storageLayout,
                storage);
        this.sharing = new SharingService(new JdbcSharingStore(dataSource), storageLayout, storage);
        this.roles = new RoleService(new JdbcRoleStore(dataSource), clock);
        this.groups = new GroupService(new JdbcGroupStore(dataSource));
        JdbcSyncStore syncStore = new JdbcSyncStore(dataSource);
        LimitsConfig limits = config.limits();
        this.commits = new CommitService(syncStore, new ItemNames(limits.maxNameBytes()),
                new ChangeLimits(limits.maxChunksPerItem(), limits.maxFileSizeBytes(), limits.chunkNamePattern()),
                limits.maxItemsPerCommit(), clock, config.storage().verifyChunks()
                        ? new StoredChunkVerifier(workspaceStore, storage) : ChunkVerifier.OFF);
        this.locks = new LockService(new JdbcLockStore(dataSource), config.locks().defaultDuration(),
                config.locks().maxDuration(), clock);
        this.cursorKeys = new JdbcCursorKeyStore(dataSource);
        this.standbyListings = standby.map(replica -> StandbyListings.on(new JdbcSyncStore(replica), clock))
                .orElseGet(StandbyListings::none);
        this.changes = new ChangeFeed(syncStore, standbyListings, cursorKeys, limits.defaultPageSize(),
                limits.maxPageSize(), limits.pageBytes());
        this.subscriptions = deviceQueues == null ? null : new NotificationSubscriptions(workspaces, accounts,
                deviceQueues, new NotificationRoutes(config.amqp().notificationExchange()),
                config.notifications().deviceQueueTtl());
        this.outboxSignal = outboxSignal;
        this.storage = storage;
        this.storageUrls = new StorageUrlService(workspaceStore, storage, limits.chunkNamePattern(),
                limits.maxChunksPerItem(), limits.maxFileSizeBytes(), config.storage().signedUrlTtl());
        this.missingChunks = new MissingChunkService(workspaceStore, storage, limits.chunkNamePattern(),
                limits.maxChunksPerItem());
        this.status = new JdbcStatusStore(dataSource);
        this.outbox = new JdbcOutboxStore(dataSource);
        this.workspaceDigests = new WorkspaceDigests(new JdbcWorkspaceDigestStore(dataSource));
        this.retentionStore = new JdbcRetentionStore(dataSource);
        this.config = config;
        this.clock = clock;
    }

    /** Whether login and refresh_broker_token hand out devices' broker tokens. */
    public boolean servesBrokerTokens() {
        return brokerTokens.isPresent();
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public AccountService accounts() {
        return accounts;
    }

    public WorkspaceService workspaces() {
        return workspaces;
    }

    public SharingService sharing() {
        return sharing;
    }

    public GroupService groups() {
        return groups;
    }

    public RoleService roles() {
        return roles;
    }

    public CommitService commits() {
        return commits;
    }

    /** The cursors' secret and epoch, for the admin command new-epoch. */
    public CursorKeyStore cursorKeys() {
        return cursorKeys;
    }

    /** File locks: lock_item and unlock_item. */
    public LockService locks() {
        return locks;
    }

    /** The standby's part in listings (none without db.standby-url). */
    public StandbyListings standbyListings() {
        return standbyListings;
    }

    public ChangeFeed changes() {
        return changes;
    }

    /** Where chunks live; the commit path asks it for missing chunks when storage.verify-chunks is on. */
    public ChunkStorage storage() {
        return storage;
    }

    public StorageUrlService storageUrls() {
        return storageUrls;
    }

    /** Database status for admin commands, health checks and metrics. */
    public StatusStore status() {
        return status;
    }

    /** The outbox, for admin commands: set-aside notifications counted and replayed. */
    public OutboxStore outbox() {
        return outbox;
    }

    /** The metadata purge and the chunk collector (retention.*), telling {@code observer} what they did. */
    public Retention retention(RetentionObserver observer) {
        var retention = config.retention();
        return new Retention(new MetadataPurge(retentionStore, retention, clock, observer),
                new ChunkCollector(retentionStore, storage, retention.chunkGrace(), retention.batchSize(),
                        retention.pause(), clock, observer));
    }

    /** Adds the handlers of the operations these components serve, observing no batches. */
    public HandlerRegistry.Builder addHandlers(HandlerRegistry.Builder handlers) {
        return addHandlers(handlers, BatchObserver.NONE);
    }

    /** Adds the handlers of the operations these components serve; {@code batches} sees the commit groups. */
    public HandlerRegistry.Builder addHandlers(HandlerRegistry.Builder handlers, BatchObserver batches) {
        if (storage.signsUrls()) {
            // Otherwise the operation is not listed in get_server_info and answers UNIMPLEMENTED.
            handlers.add(new GetStorageUrlsHandler(storageUrls));
        }
        handlers
                .add(signalling(new LoginHandler(accounts, brokerTokens)))
                .add(new UpdateDeviceHandler(accounts))
                .add(new ChangePasswordHandler(accounts))
                .add(signalling(new UnregisterDeviceHandler(accounts)))
                .add(new ListDevicesHandler(accounts))
                .add(new GetAccountInfoHandler(accounts))
                .add(new ListWorkspacesHandler(workspaces))
                .add(signalling(new UpdateWorkspaceHandler(workspaces)))
                .add(signalling(new CommitHandler(commits, new CommitBatcher(commits, batches))))
                .add(new GetChangesHandler(changes))
                .add(new AcknowledgeChangesHandler(changes))
                .add(new ListItemVersionsHandler(changes))
                .add(signalling(new RestoreVersionHandler(commits)))
                .add(signalling(new LockItemHandler(locks)))
                .add(signalling(new UnlockItemHandler(locks)))
                .add(signalling(new ShareFolderHandler(sharing)))
                .add(signalling(new UnshareFolderHandler(sharing)))
                .add(new ListMembersHandler(sharing))
                .add(signalling(new ChangeMemberRoleHandler(roles)))
                .add(new CreateGroupHandler(groups))
                .add(signalling(new AddGroupMemberHandler(groups)))
                .add(signalling(new RemoveGroupMemberHandler(groups)))
                .add(new ListGroupsHandler(groups))
                .add(signalling(new DeleteGroupHandler(groups)))
                .add(new GetWorkspaceDigestHandler(workspaceDigests))
                // Scheduled apart, as every handler but commit: on amqp.other-request-threads, never on the commit worker.
                .add(new GetMissingChunksHandler(missingChunks));
        if (subscriptions != null) {
            handlers.add(new SubscribeNotificationsHandler(subscriptions));
        }
        brokerTokens.ifPresent(tokens -> handlers.add(new RefreshBrokerTokenHandler(tokens)));
        return handlers;
    }

    /** The operations that write outbox rows wake the publisher once they succeeded. */
    private OperationHandler signalling(OperationHandler handler) {
        return new SignallingHandler(handler, outboxSignal);
    }
}

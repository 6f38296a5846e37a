package org.syncservice.server.rpc.handlers;

import java.time.Clock;
import java.util.Set;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.Limits;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.syncservice.protocol.v1.StorageBackend;
import org.syncservice.server.config.LimitsConfig;
import org.syncservice.server.config.LockConfig;
import org.syncservice.server.config.RetentionConfig;
import org.syncservice.server.config.StorageConfig;
import org.syncservice.server.rpc.CallContext;
import org.syncservice.server.rpc.OperationHandler;
import org.syncservice.server.rpc.RequestProcessor;
import org.syncservice.server.storage.UploadChecks;

/**
 * Answers get_server_info: the server's version, the protocol version, the operations it
 * implements, the limits it enforces and where notifications are published. Needs no token, so
 * a client can check compatibility before logging in. Thread-safe (immutable; the answer but for
 * the clock is built once).
 */
public final class ServerInfoHandler implements OperationHandler {
    static final int PROTOCOL_VERSION = 1;

    private final GetServerInfoResponse template;
    private final Clock clock;

    /** Announcing no retention (the Limits retention fields stay 0); for tests that are not about it. */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, StorageConfig.Backend backend,
                             String notificationExchange, Set<Request.OperationCase> otherOperations, Clock clock) {
        this(serverVersion, limits, null, backend, notificationExchange, otherOperations, clock);
    }

    /** Announcing no notification publisher; for tests that are not about it. */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, RetentionConfig retention,
                             StorageConfig.Backend backend, String notificationExchange,
                             Set<Request.OperationCase> otherOperations, Clock clock) {
        this(serverVersion, limits, retention, backend, notificationExchange, "", otherOperations, clock);
    }

    /** Announcing no upload checks; for tests that are not about them. */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, RetentionConfig retention,
                             StorageConfig.Backend backend, String notificationExchange, String notificationPublisher,
                             Set<Request.OperationCase> otherOperations, Clock clock) {
        this(serverVersion, limits, retention, backend, UploadChecks.NONE, notificationExchange, notificationPublisher,
                otherOperations, clock);
    }

    /** Announcing no request exchange and no broker tokens; for tests that are not about them. */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, RetentionConfig retention,
                             StorageConfig.Backend backend, UploadChecks uploadChecks, String notificationExchange,
                             String notificationPublisher, Set<Request.OperationCase> otherOperations, Clock clock) {
        this(serverVersion, limits, retention, backend, uploadChecks, notificationExchange, notificationPublisher,
                Broker.NONE, otherOperations, clock);
    }

    /**
     * What a client needs to know of the broker side.
     *
     * @param requestExchange where requests are published ({@code amqp.request-exchange}); empty for unannounced
     * @param brokerTokens whether login and refresh_broker_token hand out the device's broker token
     */
    public record Broker(String requestExchange, boolean brokerTokens) {
        static final Broker NONE = new Broker("", false);
    }

    /** Announcing no lock durations; for tests that are not about them. */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, RetentionConfig retention,
                             StorageConfig.Backend backend, UploadChecks uploadChecks, String notificationExchange,
                             String notificationPublisher, Broker broker, Set<Request.OperationCase> otherOperations,
                             Clock clock) {
        this(serverVersion, limits, retention, null, backend, uploadChecks, notificationExchange,
                notificationPublisher, broker, otherOperations, clock);
    }

    /**
     * @param locks the lock durations announced in Limits; null announces none (for tests not about them)
     * @param uploadChecks what the storage enforces on uploads through WRITE URLs
     * @param notificationPublisher the broker user notifications are published as (their AMQP user_id)
     * @param broker the request exchange and whether broker tokens are handed out
     */
    public ServerInfoHandler(String serverVersion, LimitsConfig limits, RetentionConfig retention, LockConfig locks,
                             StorageConfig.Backend backend, UploadChecks uploadChecks, String notificationExchange,
                             String notificationPublisher, Broker broker, Set<Request.OperationCase> otherOperations,
                             Clock clock) {
        this.clock = clock;
        GetServerInfoResponse.Builder info = GetServerInfoResponse.newBuilder()
                .setServerVersion(serverVersion)
                .setProtocolVersion(PROTOCOL_VERSION)
                .setLimits(toLimits(limits, retention, locks))
                .setStorageBackend(toBackend(backend))
                .setNotificationExchange(notificationExchange)
                .setNotificationPublisher(notificationPublisher)
                .setRequestExchange(broker.requestExchange())
                .setBrokerTokens(broker.brokerTokens())
                // Every CURSOR_EXPIRED of get_changes carries Error.cursor_expiry (ChangeFeed).
                .setCursorExpiryReasons(true)
                // Reads check the role under the workspace's lock (JdbcRoleStore, WorkspaceLocks).
                .setMemberRoles(true)
                .setGroups(true)
                // get_changes takes subtree_ids; commit notifications name the folders they touched.
                .setSubtreeSync(true)
                .setUploadChecks(org.syncservice.protocol.v1.UploadChecks.newBuilder()
                        .setNoOverwrite(uploadChecks.noOverwrite())
                        .setContentSha256(uploadChecks.contentSha256())
                        .setDeclaredSize(uploadChecks.declaredSize()));
        // Announced in the envelope's field order, so the list reads like the protocol.
        for (Request.OperationCase operation : Request.OperationCase.values()) {
            if (operation == Request.OperationCase.GET_SERVER_INFO || otherOperations.contains(operation)) {
                info.addOperations(RequestProcessor.operationName(operation));
            }
        }
        this.template = info.build();
    }

    @Override
    public Request.OperationCase operation() {
        return Request.OperationCase.GET_SERVER_INFO;
    }

    @Override
    public boolean requiresAuthentication() {
        return false;
    }

    @Override
    public void handle(Request request, CallContext call, Response.Builder response) {
        response.setGetServerInfo(template.toBuilder().setServerTimeMs(clock.millis()));
    }

    private static Limits toLimits(LimitsConfig limits, RetentionConfig retention, LockConfig locks) {
        Limits.Builder announced = Limits.newBuilder();
        if (locks != null) {
            announced.setDefaultLockDurationMs(locks.defaultDuration().toMillis())
                    .setMaxLockDurationMs(locks.maxDuration().toMillis());
        }
        if (retention != null) {
            announced.setIdempotencyWindowMs(retention.idempotencyWindow().toMillis())
                    .setDeletedItemsRetentionMs(retention.deletedItems().toMillis())
                    .setOldVersionsRetentionMs(retention.oldVersions().toMillis());
        }
        return announced
                .setMaxMessageBytes(limits.maxMessageBytes())
                .setMaxItemsPerCommit(limits.maxItemsPerCommit())
                .setMaxChunksPerItem(limits.maxChunksPerItem())
                .setMaxNameBytes(limits.maxNameBytes())
                .setDefaultPageSize(limits.defaultPageSize())
                .setMaxPageSize(limits.maxPageSize())
                .setMaxFileSizeBytes(limits.maxFileSizeBytes())
                .setChunkNamePattern(limits.chunkNamePattern().pattern())
                .setMaxRequestsPerSecondPerDevice(limits.requestsPerSecondPerDevice())
                .setPageByteBudget(limits.pageBytes())
                .build();
    }

    private static StorageBackend toBackend(StorageConfig.Backend backend) {
        return switch (backend) {
            case S3 -> StorageBackend.STORAGE_BACKEND_S3;
            case SWIFT -> StorageBackend.STORAGE_BACKEND_SWIFT;
            case FTP -> StorageBackend.STORAGE_BACKEND_FTP;
        };
    }
}

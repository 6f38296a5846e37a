package org.syncservice.client;

import com.rabbitmq.client.impl.DefaultCredentialsRefreshService;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;
import org.syncservice.protocol.v1.BrokerToken;
import org.syncservice.protocol.v1.GetServerInfoResponse;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RpcClient} of a client whose broker authenticates devices itself (protocol.md 2.7):
 * it starts as the login-only broker user, which may call only login, get_server_info and
 * refresh_broker_token, and switches to the device's own broker identity (its broker token) once
 * it has one, from then on publishing to the request exchange the server announced and getting
 * replies over direct reply-to. The token is refreshed before it expires, on the open connections
 * ({@code connection.update-secret}), by amqp-client's refresh service.
 *
 * <p>A revoked device's refresh is refused: the client then closes its device connection and stops
 * refreshing, so that its calls fail at once instead of waiting for the broker to refuse them.
 *
 * <p>Thread-safe: calls go to the current connection; the switch happens once, under a lock.
 */
final class BrokerIdentities implements RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerIdentities.class);
    /** A token is refreshed when this share of its lifetime has passed. */
    static final double REFRESH_AT = 0.7;

    private final SyncClientOptions options;
    private final String requestExchange;
    private final Object switchLock = new Object();
    private volatile RpcClient current;
    private volatile BrokerLogin device;
    private ScheduledThreadPoolExecutor refreshThread;
    private DefaultCredentialsRefreshService refreshes;
    private volatile boolean closed;

    private BrokerIdentities(SyncClientOptions options, RpcClient login, String requestExchange) {
        this.options = options;
        this.current = login;
        this.requestExchange = requestExchange;
    }

    /**
     * Connects as the login-only broker user when the options name one and the server hands out
     * broker tokens; otherwise as today, as the options' broker user.
     */
    static RpcClient connect(SyncClientOptions options) {
        if (options.loginUsername().isEmpty()) {
            return AmqpRpcClient.connect(options);
        }
        RpcClient login;
        try {
            login = loginConnection(options, options.requestExchange());
        } catch (SyncServiceException e) {
            LOG.warn("cannot connect as the login-only broker user ({}); connecting as '{}'", e.getMessage(),
                    options.username());
            return AmqpRpcClient.connect(options);
        }
        try {
            GetServerInfoResponse info = new DefaultSyncClient(login, options.callTimeout()).getServerInfo();
            if (!info.getBrokerTokens()) {
                login.close();
                LOG.info("the service hands out no broker tokens; connecting as '{}'", options.username());
                return AmqpRpcClient.connect(options);
            }
            String exchange = info.getRequestExchange().isEmpty() ? options.requestExchange() : info.getRequestExchange();
            return new BrokerIdentities(options, login, exchange);
        } catch (RuntimeException e) {
            login.close();
            throw e;
        }
    }

    private static RpcClient loginConnection(SyncClientOptions options, String exchange) {
        return AmqpRpcClient.connect(options, options.connectionName() + "-login",
                BrokerLogin.of(options.loginUsername().get(), options.loginPassword()),
                new AmqpRpcClient.Route(exchange, true, options.loginUsername().get()));
    }

    /** Whether calls go out under the device's own broker identity already. */
    boolean onDeviceIdentity() {
        return device != null;
    }

    /**
     * Switches to the device's own broker identity: connects with {@code first}, closes the login
     * connection, and from then on refreshes the token with {@code source} before it expires.
     * Does nothing when already switched.
     */
    void becomeDevice(BrokerToken first, Supplier<BrokerToken> source) {
        synchronized (switchLock) {
            if (device != null || closed) {
                return;
            }
            refreshThread = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "syncservice-client-token-refresh[" + options.connectionName() + ']');
                t.setDaemon(true);
                return t;
            });
            refreshes = new DefaultCredentialsRefreshService.DefaultCredentialsRefreshServiceBuilder()
                    .scheduler(refreshThread)
                    .refreshDelayStrategy(DefaultCredentialsRefreshService.ratioRefreshDelayStrategy(REFRESH_AT))
                    // A token found expired (a connection recovering after a long outage) is replaced
                    // before the connection presents it.
                    .approachingExpirationStrategy(left -> left.toMillis() < 1_000)
                    .build();
            BrokerLogin login = new BrokerLogin(new DeviceBrokerCredentials(first, source), Optional.of(refreshes));
            RpcClient deviceClient = AmqpRpcClient.connect(options, options.connectionName(), login,
                    new AmqpRpcClient.Route(requestExchange, true, first.getBrokerUser()));
            RpcClient previous = current;
            current = deviceClient;
            device = login;
            previous.close();
            LOG.info("connected under the device's own broker identity");
        }
    }

    /**
     * The device's broker identity, for the notification connection: it shares the token and its
     * refreshes. Empty before the switch.
     */
    Optional<BrokerLogin> deviceLogin() {
        return Optional.ofNullable(device);
    }

    /**
     * A fresh broker token over a short-lived connection as the login-only user: how a device whose
     * broker token is gone (it expired while its connection was down) gets one with its device token.
     */
    BrokerToken refreshAsLoginUser(String deviceToken) {
        try (RpcClient login = loginConnection(options, requestExchange)) {
            DefaultSyncClient asLoginUser = new DefaultSyncClient(login, options.callTimeout());
            asLoginUser.setToken(deviceToken);
            return asLoginUser.refreshBrokerToken().getBrokerToken();
        }
    }

    /** The device was revoked: its calls fail from now on, and nothing is refreshed any more. */
    void revoked() {
        LOG.warn("the service refused a fresh broker token: the device was revoked; closing its connection");
        stopRefreshing();
        current.close();
    }

    @Override
    public CompletableFuture<Response> call(Request request, Duration timeout) {
        return current.call(request, timeout);
    }

    @Override
    public String replyQueue() {
        return current.replyQueue();
    }

    @Override
    public void close() {
        synchronized (switchLock) {
            closed = true;
            stopRefreshing();
            current.close();
        }
    }

    private void stopRefreshing() {
        synchronized (switchLock) {
            if (refreshes != null) {
                refreshes.close();
                refreshThread.shutdownNow();
            }
        }
    }
}

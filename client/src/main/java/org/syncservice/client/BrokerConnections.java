package org.syncservice.client;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.syncservice.protocol.v1.ErrorCode;

/**
 * Opens the SDK's broker connections from the options, always with automatic recovery, as the
 * options' broker user or as another identity ({@link BrokerLogin}).
 */
final class BrokerConnections {

    private BrokerConnections() {
    }

    /**
     * @param replayTopology whether recovery re-declares queues and consumers by itself (false when
     *     the caller re-subscribes on recovery, because a queue may be gone)
     * @throws SyncServiceException UNAVAILABLE (local) when the broker cannot be reached
     */
    static Connection open(SyncClientOptions options, String name, boolean replayTopology) {
        return open(options, name, replayTopology, null);
    }

    static Connection open(SyncClientOptions options, String name, boolean replayTopology,
                           ExecutorService consumerExecutor) {
        return open(options, BrokerLogin.of(options.username(), options.password()), name, replayTopology,
                consumerExecutor);
    }

    /**
     * @param consumerExecutor where the connection runs its consumers' callbacks (the caller's own
     *     thread, so that a delivery is handled without another hand-over), or null for the
     *     client library's own pool
     */
    static Connection open(SyncClientOptions options, BrokerLogin login, String name, boolean replayTopology,
                           ExecutorService consumerExecutor) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(options.host());
        factory.setPort(options.port());
        factory.setVirtualHost(options.virtualHost());
        // Asked again at every (re)connect, so a recovered connection presents the current token.
        factory.setCredentialsProvider(login.credentials());
        login.refreshes().ifPresent(factory::setCredentialsRefreshService);
        if (options.tls()) {
            try {
                // The JVM default context verifies the chain against the default trust store; the
                // no-argument useSslProtocol() would trust every certificate, which we never want.
                factory.useSslProtocol(SSLContext.getDefault());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("tls: the JVM has no default SSLContext", e);
            }
            factory.enableHostnameVerification();
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(replayTopology);
        factory.setNetworkRecoveryInterval(options.recoveryInterval().toMillis());
        try {
            return consumerExecutor == null ? factory.newConnection(name)
                    : factory.newConnection(consumerExecutor, name);
        } catch (IOException | TimeoutException e) {
            throw SyncServiceException.local(ErrorCode.ERROR_CODE_UNAVAILABLE,
                    "cannot connect to the broker at " + options.host() + ':' + options.port(), e);
        }
    }
}

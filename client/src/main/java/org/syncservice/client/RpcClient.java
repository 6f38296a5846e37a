package org.syncservice.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.syncservice.protocol.v1.Request;
import org.syncservice.protocol.v1.Response;

/**
 * The low-level request/reply transport to the service: publishes a {@code syncservice.v1.Request}
 * to the service's request queue and completes with the matching {@code Response}.
 *
 * <p>One instance owns one broker connection and one reply queue, recovers them automatically, and
 * is safe for use by many threads at once. Most applications use {@link SyncClient} instead.
 *
 * <p>A returned future completes exceptionally only with a {@link SyncServiceException}:
 * {@code DEADLINE_EXCEEDED} when no reply arrived in time, {@code UNAVAILABLE} when the request could
 * not be delivered or the connection dropped while waiting, {@code INTERNAL} when the reply could
 * not be decoded. An {@code Error} answered by the service is a normal {@code Response}; this layer
 * does not interpret it. Futures are completed on the client's delivery thread: do not block in
 * dependent stages attached with the non-async methods.
 */
public interface RpcClient extends AutoCloseable {

    /**
     * Connects to the broker and declares this client's reply queue.
     *
     * @param options where and how to connect
     * @return a connected client; close it when done
     * @throws SyncServiceException with code UNAVAILABLE when the broker cannot be reached
     */
    static RpcClient connect(SyncClientOptions options) {
        return AmqpRpcClient.connect(options);
    }

    /**
     * Sends a request and returns its reply.
     *
     * <p>Before sending, a missing {@code request_id} is filled with a random UUID and, when a timeout
     * is given, {@code deadline_ms} is set to now + timeout; the AMQP message then also expires after
     * the timeout so the broker drops a request nobody waits for any more.
     *
     * @param request the request; its operation must be set
     * @param timeout how long to wait for the reply; null to wait until the reply or a connection loss
     * @return a future for the reply, never null
     * @throws IllegalArgumentException when the request has no operation
     */
    CompletableFuture<Response> call(Request request, Duration timeout);

    /** The name of the current reply queue; it changes after the connection is recovered. */
    String replyQueue();

    /** Fails every outstanding call with UNAVAILABLE and closes the connection. Idempotent. */
    @Override
    void close();
}

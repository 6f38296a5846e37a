/**
 * The Java client SDK of syncservice: {@link org.syncservice.client.SyncClient} for applications
 * (one typed, blocking method per operation of the {@code syncservice.v1} protocol),
 * {@link org.syncservice.client.RpcClient} for the raw request/reply transport over RabbitMQ,
 * {@link org.syncservice.client.SyncClientOptions} to configure both, and
 * {@link org.syncservice.client.SyncServiceException} for every failure. What a client does when both
 * sides edited a file is in {@link org.syncservice.client.conflicts}.
 *
 * <p>All public types are thread-safe except {@link org.syncservice.client.SyncClientOptions.Builder}.
 */
package org.syncservice.client;

package org.syncservice.client;

import com.rabbitmq.client.impl.RefreshProtectedCredentialsProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.syncservice.protocol.v1.BrokerToken;

/**
 * A device's broker identity for amqp-client: its broker token as the password (RabbitMQ's OAuth
 * 2.0 backend takes the user from the token's subject, so the user name is left empty, as its
 * documentation asks), and a fresh token from the service when the refresh service finds this one
 * close to expiry. The first token is the one login or refresh_broker_token returned; later ones
 * come from {@code source}. Thread-safe (the superclass serializes refreshes).
 */
final class DeviceBrokerCredentials extends RefreshProtectedCredentialsProvider<DeviceBrokerCredentials.Held> {

    /** A token and when it expires on this machine's clock. {@link #toString()} never shows the token. */
    record Held(String token, Instant expiresAt) {
        /** Counts from receipt with the lifetime the server gave, so that the clocks need not agree. */
        static Held received(BrokerToken token) {
            return new Held(token.getToken(), Instant.now().plusMillis(token.getValidForMs()));
        }

        @Override
        public String toString() {
            return "Held[expiresAt=" + expiresAt + "]";
        }
    }

    private final AtomicReference<Held> first;
    private final Supplier<BrokerToken> source;

    /** @param source asks the service for a fresh token; throws {@link SyncServiceException} when it cannot */
    DeviceBrokerCredentials(BrokerToken first, Supplier<BrokerToken> source) {
        this.first = new AtomicReference<>(Held.received(first));
        this.source = source;
    }

    @Override
    protected Held retrieveToken() {
        Held seed = first.getAndSet(null);
        return seed != null ? seed : Held.received(source.get());
    }

    @Override
    protected String usernameFromToken(Held token) {
        return "";
    }

    @Override
    protected String passwordFromToken(Held token) {
        return token.token();
    }

    @Override
    protected Duration timeBeforeExpiration(Held token) {
        return Duration.between(Instant.now(), token.expiresAt());
    }
}

package org.syncservice.server.transport.amqp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.auth.BrokerToken;
import org.syncservice.server.auth.BrokerTokenIssuer;
import org.syncservice.server.config.AuthConfig;
import org.syncservice.server.config.ConfigException;
import org.syncservice.server.config.ConfigKey;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.notify.NotificationRoutes;
import org.syncservice.server.rpc.BrokerIdentities;

/**
 * Signs the JWTs a device logs in to RabbitMQ with (its OAuth 2.0 backend,
 * rabbitmq_auth_backend_oauth2): RS256, the key id in the header so that the broker picks the
 * matching public key, {@code sub} the device's broker user, and scopes that let the device do
 * two things only: publish to the request exchange, and consume its own device queue. Replies come
 * over direct reply-to ({@code amq.rabbitmq.reply-to}), which needs no permission, so a device may
 * declare, bind and delete nothing. A token expires after the configured lifetime; RabbitMQ then
 * refuses every further operation of the connection until the client presents a fresh token
 * ({@code connection.update-secret}), which a revoked device no longer gets.
 *
 * <p>Immutable and thread-safe ({@link Signature} instances are made per call).
 */
public final class BrokerTokens implements BrokerTokenIssuer {
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey signingKey;
    private final String keyId;
    private final String resourceServerId;
    private final String virtualHost;
    private final String requestExchange;
    private final NotificationRoutes routes;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param signingKey an RSA private key; the broker holds the public half under {@code keyId}
     * @param resourceServerId RabbitMQ's {@code auth_oauth2.resource_server_id}: audience and scope prefix
     * @param lifetime how long a token is good for; {@code auth.token-cache-ttl}, the bound on how long
     *     a revoked device's connection stays usable
     */
    public BrokerTokens(PrivateKey signingKey, String keyId, String resourceServerId, String virtualHost,
                        String requestExchange, NotificationRoutes routes, Duration lifetime, Clock clock) {
        if (!"RSA".equals(signingKey.getAlgorithm())) {
            throw new IllegalArgumentException("the broker signing key must be an RSA key, not "
                    + signingKey.getAlgorithm());
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("the broker token lifetime must be positive");
        }
        this.signingKey = signingKey;
        this.keyId = Objects.requireNonNull(keyId);
        this.resourceServerId = Objects.requireNonNull(resourceServerId);
        this.virtualHost = Objects.requireNonNull(virtualHost);
        this.requestExchange = Objects.requireNonNull(requestExchange);
        this.routes = Objects.requireNonNull(routes);
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * The issuer the configuration asks for: none without {@code auth.broker-signing-key-file}.
     * Tokens live {@code auth.token-cache-ttl}, the bound on a revoked device's connection.
     *
     * @throws ConfigException naming the key when the file holds no usable RSA private key
     */
    public static Optional<BrokerTokenIssuer> configured(ServiceConfig config, NotificationRoutes routes,
                                                         Clock clock) {
        AuthConfig auth = config.auth();
        if (auth.brokerSigningKeyFile().isEmpty()) {
            return Optional.empty();
        }
        PrivateKey key;
        try {
            key = BrokerSigningKey.read(auth.brokerSigningKeyFile().get());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(ConfigKey.AUTH_BROKER_SIGNING_KEY_FILE.key() + ": " + e.getMessage());
        }
        return Optional.of(new BrokerTokens(key, auth.brokerSigningKeyId(), auth.brokerResourceServerId(),
                config.amqp().virtualHost(), config.amqp().requestExchange(), routes, auth.tokenCacheTtl(), clock));
    }

    /** A fresh token for one device. */
    @Override
    public BrokerToken forDevice(UUID deviceId) {
        Instant now = clock.instant();
        // The claim counts whole seconds; the expiry announced is the one the broker applies.
        Instant expires = Instant.ofEpochSecond(now.plus(lifetime).getEpochSecond());
        String vhost = scopeVirtualHost();
        List<String> scopes = List.of(
                resourceServerId + ".write:" + vhost + '/' + requestExchange,
                resourceServerId + ".read:" + vhost + '/' + routes.deviceQueue(deviceId));
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":" + json(keyId) + '}';
        StringBuilder payload = new StringBuilder()
                .append("{\"sub\":").append(json(BrokerIdentities.deviceUser(deviceId)))
                .append(",\"aud\":[").append(json(resourceServerId)).append(']')
                .append(",\"iat\":").append(now.getEpochSecond())
                .append(",\"exp\":").append(expires.getEpochSecond())
                .append(",\"scope\":[");
        for (int i = 0; i < scopes.size(); i++) {
            payload.append(i == 0 ? "" : ",").append(json(scopes.get(i)));
        }
        payload.append("]}");
        String signingInput = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + '.'
                + URL.encodeToString(payload.toString().getBytes(StandardCharsets.UTF_8));
        return new BrokerToken(signingInput + '.' + URL.encodeToString(sign(signingInput)), expires,
                Duration.between(now, expires), BrokerIdentities.deviceUser(deviceId));
    }

    /**
     * Scopes name the virtual host before the first '/', so a name holding '/' (the default
     * virtual host) cannot be spelled there; it is matched with '*' instead. The device's queue
     * and the request exchange exist in the service's virtual host only, and a token holds no
     * right to any other virtual host's login (check_vhost_access is granted per scope).
     */
    private String scopeVirtualHost() {
        return virtualHost.contains("/") ? "*" : virtualHost;
    }

    private byte[] sign(String signingInput) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signingKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a broker token", e);
        }
    }

    /** A JSON string; the names here come from validated config and UUIDs, but escape anyway. */
    private static String json(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

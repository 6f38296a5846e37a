package org.syncservice.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.syncservice.server.core.Principal;
import org.syncservice.server.core.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates device tokens against the devices table, by the SHA-256 of the token.
 *
 * <p>Valid tokens are cached (token hash to principal) for {@code auth.token-cache-ttl}, so a busy
 * device costs no database round trip per request; unknown tokens are never cached. When a token
 * stops being valid through this instance (unregister, revoke, a new login of the device), the
 * entry is dropped at once ({@link #revoked}). <b>Other instances</b> learn nothing and keep
 * accepting the old token until their cached entry expires: a revoked token keeps working for at
 * most {@code auth.token-cache-ttl} on instances that had cached it. A TTL of zero turns the cache
 * off and makes revocation immediate everywhere, at a database query per request.
 *
 * <p>It also records a device's {@code last_seen_at}, at most once per {@link #SEEN_INTERVAL} per
 * device and instance, instead of writing a row per request.
 *
 * <p>Thread-safe.
 */
public final class TokenAuthenticator implements Authenticator, TokenRevocations {
    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
    static final Duration SEEN_INTERVAL = Duration.ofMinutes(1);
    static final String UNKNOWN_TOKEN = "the device token is unknown, or its device was unregistered";

    private final DeviceCredentialStore store;
    private final Cache<TokenHash, Principal> principals;
    private final Cache<UUID, Boolean> recentlySeen;

    public TokenAuthenticator(DeviceCredentialStore store, Duration cacheTtl, long maxCachedTokens) {
        this.store = store;
        this.principals = Caffeine.newBuilder()
                .expireAfterWrite(cacheTtl)
                .maximumSize(maxCachedTokens)
                .build();
        this.recentlySeen = Caffeine.newBuilder()
                .expireAfterWrite(SEEN_INTERVAL)
                .maximumSize(maxCachedTokens)
                .build();
    }

    @Override
    public Principal authenticate(String token) {
        if (token == null || !DeviceTokens.isWellFormed(token)) {
            throw ServiceException.unauthenticated(UNKNOWN_TOKEN);
        }
        TokenHash hash = TokenHash.of(token);
        Principal principal = principals.getIfPresent(hash);
        if (principal == null) {
            Optional<Principal> found = store.findActiveDevice(hash);
            if (found.isEmpty()) {
                throw ServiceException.unauthenticated(UNKNOWN_TOKEN);
            }
            principal = found.get();
            principals.put(hash, principal);
        }
        noteSeen(principal.deviceId());
        return principal;
    }

    @Override
    public void revoked(TokenHash tokenHash) {
        principals.invalidate(tokenHash);
    }

    private void noteSeen(UUID deviceId) {
        if (recentlySeen.asMap().putIfAbsent(deviceId, Boolean.TRUE) != null) {
            return;
        }
        try {
            store.recordSeen(deviceId);
        } catch (RuntimeException e) {
            // Bookkeeping only: the request itself must not fail for it. Try again next time.
            recentlySeen.invalidate(deviceId);
            log.warn("could not record that device {} was seen: {}", deviceId, e.toString());
        }
    }
}

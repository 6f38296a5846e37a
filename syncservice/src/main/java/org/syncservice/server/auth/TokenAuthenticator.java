package org.syncservice.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
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
 * device and instance, instead of writing a row per request. A token whose device was not seen
 * for {@code auth.device-idle-lifetime} has expired: every use renews it, and a device unused for
 * that long logs in again (zero: tokens never expire).
 *
 * <p>Thread-safe.
 */
public final class TokenAuthenticator implements Authenticator, TokenRevocations {
    private static final Logger log = LoggerFactory.getLogger(TokenAuthenticator.class);
    static final Duration SEEN_INTERVAL = Duration.ofMinutes(1);
    static final String UNKNOWN_TOKEN = "the device token is unknown, or its device was unregistered";
    static final String EXPIRED_TOKEN = "the device token expired: the device was not used for longer than the"
            + " service allows (auth.device-idle-lifetime); log in again";

    private final DeviceCredentialStore store;
    private final Cache<TokenHash, Principal> principals;
    private final Cache<UUID, Boolean> recentlySeen;
    private final Duration idleLifetime;
    private final Clock clock;

    /** Tokens that never expire; for tests that are not about it. */
    public TokenAuthenticator(DeviceCredentialStore store, Duration cacheTtl, long maxCachedTokens) {
        this(store, cacheTtl, maxCachedTokens, Duration.ZERO, Clock.systemUTC());
    }

    /** @param idleLifetime how long a device may go unseen before its token expires; zero for never */
    public TokenAuthenticator(DeviceCredentialStore store, Duration cacheTtl, long maxCachedTokens,
                              Duration idleLifetime, Clock clock) {
        this.store = store;
        this.idleLifetime = idleLifetime;
        this.clock = clock;
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
            ActiveDevice found = store.findActiveDevice(hash)
                    .orElseThrow(() -> ServiceException.unauthenticated(UNKNOWN_TOKEN));
            if (!idleLifetime.isZero() && found.lastUsed().plus(idleLifetime).isBefore(clock.instant())) {
                throw ServiceException.unauthenticated(EXPIRED_TOKEN);
            }
            principal = found.principal();
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

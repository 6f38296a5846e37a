package org.syncservice.server.auth;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Issues device tokens: 32 random bytes, base64url without padding (43 characters). Thread-safe.
 */
public final class DeviceTokens {
    static final int TOKEN_BYTES = 32;
    static final int TOKEN_LENGTH = 43;

    private final SecureRandom random;

    public DeviceTokens(SecureRandom random) {
        this.random = random;
    }

    public String issue() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether the string has the shape of a token this service issues; anything else is refused unseen. */
    public static boolean isWellFormed(String token) {
        if (token.length() != TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}

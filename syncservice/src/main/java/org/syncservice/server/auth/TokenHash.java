package org.syncservice.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of a device token: what the database stores and what the token cache is keyed by.
 * The token itself is never stored. Immutable; equal when the bytes are equal.
 */
public final class TokenHash {
    /** One digest per thread: looking one up costs a provider search on every request. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    });

    private final byte[] bytes;

    private TokenHash(byte[] bytes) {
        this.bytes = bytes;
    }

    public static TokenHash of(String token) {
        return new TokenHash(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    /** A hash as read back from storage. */
    public static TokenHash fromBytes(byte[] bytes) {
        return new TokenHash(bytes.clone());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenHash hash && Arrays.equals(hash.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** A short prefix only: enough to tell hashes apart in a log, too little to matter. */
    @Override
    public String toString() {
        return "TokenHash[" + HexFormat.of().formatHex(bytes, 0, 4) + "...]";
    }
}

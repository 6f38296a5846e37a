package org.syncservice.server.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticates cursor text with HMAC-SHA256 over the workspace id and the text, so a cursor
 * verifies only on the workspace it was handed out for and only with this database's secret. The
 * secret is read once, on first use. Thread-safe.
 */
final class CursorSigner {
    /** 128 bits of the MAC: forging one is still out of reach, and cursors stay short. */
    private static final int MAC_BYTES = 16;
    static final int MAC_CHARACTERS = 22;
    private static final String ALGORITHM = "HmacSHA256";

    private final Supplier<byte[]> secretSource;
    private volatile SecretKeySpec key;
    /** One keyed MAC per thread, made once: every page signs and verifies a cursor. */
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    CursorSigner(Supplier<byte[]> secretSource) {
        this.secretSource = secretSource;
    }

    /** The MAC of {@code text} for {@code workspaceId}, in URL-safe base64 of {@link #MAC_CHARACTERS}. */
    String sign(UUID workspaceId, String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(workspaceId, text));
    }

    boolean verifies(UUID workspaceId, String text, String signature) {
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(mac(workspaceId, text), given);
    }

    private byte[] mac(UUID workspaceId, String text) {
        Mac mac = macs.get();
        mac.update(ByteBuffer.allocate(16).putLong(workspaceId.getMostSignificantBits())
                .putLong(workspaceId.getLeastSignificantBits()).array());
        // doFinal also resets the MAC for the thread's next cursor.
        return Arrays.copyOf(mac.doFinal(text.getBytes(StandardCharsets.US_ASCII)), MAC_BYTES);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        }
    }

    void loadKey() {
        key();
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            synchronized (this) {
                current = key;
                if (current == null) {
                    current = new SecretKeySpec(secretSource.get(), ALGORITHM);
                    key = current;
                }
            }
        }
        return current;
    }
}

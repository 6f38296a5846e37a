package org.syncservice.server.storage.swift;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Swift TempURL signatures: HMAC-SHA256 (hex) over {@code METHOD\nexpires\npath} with the account's
 * {@code X-Account-Meta-Temp-URL-Key}, where {@code path} is the object's path as Swift sees it
 * ({@code /v1/AUTH_x/container/object}) and {@code expires} is in Unix seconds. Thread-safe.
 */
final class TempUrlSigner {
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    TempUrlSigner(String key) {
        this.key = new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    String signature(String method, long expiresEpochSeconds, String path) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] digest = mac.doFinal((method + "\n" + expiresEpochSeconds + "\n" + path)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}

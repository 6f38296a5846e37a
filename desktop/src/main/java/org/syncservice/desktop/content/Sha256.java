package org.syncservice.desktop.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 in the spellings the service uses: bare lower-case hex for chunk names, {@code sha256:<hex>} for files. */
final class Sha256 {
    static final String CHECKSUM_PREFIX = "sha256:";

    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A digest in the state of {@code digest}, to go on apart from it. */
    static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the SHA-256 of this Java runtime cannot be copied", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    static String chunkName(byte[] bytes) {
        MessageDigest digest = digest();
        digest.update(bytes);
        return hex(digest);
    }

    static String checksum(MessageDigest digest) {
        return CHECKSUM_PREFIX + hex(digest);
    }
}

package org.syncservice.server.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies passwords with PBKDF2-HMAC-SHA256 from the JDK. A hash is stored as
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>} with a random 16-byte salt; a
 * hash keeps the iteration count it was made with, so raising the configured count later leaves
 * older hashes verifiable, and {@link #needsRehash} tells which to hash again once the password
 * is known (at a login). Thread-safe.
 */
public final class PasswordHasher {
    static final String SCHEME = "pbkdf2-sha256";
    static final int SALT_BYTES = 16;
    static final int HASH_BITS = 256;
    /** A stored count above this is refused rather than run: a damaged row must not stall a thread. */
    static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final SecureRandom random;
    /** Verified against when the user is unknown, so both failures take the same time. */
    private final String dummyHash;

    public PasswordHasher(int iterations, SecureRandom random) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be 1.." + MAX_ITERATIONS + ", not " + iterations);
        }
        this.iterations = iterations;
        this.random = random;
        this.dummyHash = hash("not a password of anyone");
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True when the password matches the stored hash; false for a mismatch or a malformed hash. */
    public boolean verify(String password, String storedHash) {
        String[] parts = storedHash.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        int storedIterations;
        byte[] salt;
        byte[] expected;
        try {
            storedIterations = Integer.parseInt(parts[1]);
            salt = Base64.getDecoder().decode(parts[2]);
            expected = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (storedIterations < 1 || storedIterations > MAX_ITERATIONS || salt.length == 0 || expected.length == 0) {
            return false;
        }
        byte[] actual = pbkdf2(password, salt, storedIterations);
        return MessageDigest.isEqual(actual, expected);
    }

    /**
     * Whether a stored hash is weaker than this hasher would make it now (fewer iterations, or not
     * a hash of this scheme), so that it should be replaced once the password is known. A stronger
     * one stays: instances configured differently during an upgrade must not rewrite it at every login.
     */
    public boolean needsRehash(String storedHash) {
        String[] parts = storedHash.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return true;
        }
        try {
            return Integer.parseInt(parts[1]) < iterations;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** Spends the time of one verification, for an unknown user; always false. */
    public boolean verifyAgainstDummy(String password) {
        verify(password, dummyHash);
        return false;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}

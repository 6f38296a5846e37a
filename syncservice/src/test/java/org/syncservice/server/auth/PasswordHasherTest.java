package org.syncservice.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1000, new SecureRandom());

    @Test
    void aHashVerifiesItsPasswordAndNoOther() {
        String hash = hasher.hash("correct horse");

        assertThat(hasher.verify("correct horse", hash)).isTrue();
        assertThat(hasher.verify("correct hors", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void aHashHasTheDocumentedFormatWithA16ByteSaltAndNeverThePassword() {
        String hash = hasher.hash("secret-password");

        assertThat(hash).matches("pbkdf2-sha256\\$1000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}");
        assertThat(hash).doesNotContain("secret-password");
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(hasher.hash("pw")).isNotEqualTo(hasher.hash("pw"));
    }

    @Test
    void verificationUsesTheIterationsStoredInTheHash() {
        String madeWithFewer = new PasswordHasher(10, new SecureRandom()).hash("pw");

        assertThat(hasher.verify("pw", madeWithFewer)).isTrue();
    }

    @Test
    void aHashWeakerThanTodaysNeedsRehashingAndOneAsStrongOrStrongerDoesNot() {
        assertThat(hasher.needsRehash(hasher.hash("pw"))).isFalse();
        assertThat(hasher.needsRehash(new PasswordHasher(10, new SecureRandom()).hash("pw"))).isTrue();
        assertThat(hasher.needsRehash(new PasswordHasher(10_000, new SecureRandom()).hash("pw"))).isFalse();
        assertThat(hasher.needsRehash("pbkdf2-sha256$x$AAAA$AAAA")).isTrue();
        assertThat(hasher.needsRehash("md5$1000$AAAA$AAAA")).isTrue();
        assertThat(hasher.needsRehash("plain-text")).isTrue();
    }

    @Test
    void malformedHashesNeverVerify() {
        assertThat(hasher.verify("pw", "")).isFalse();
        assertThat(hasher.verify("pw", "plain-text")).isFalse();
        assertThat(hasher.verify("pw", "md5$1$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("pw", "pbkdf2-sha256$x$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("pw", "pbkdf2-sha256$999999999$AAAA$AAAA")).isFalse();
        assertThat(hasher.verify("pw", "pbkdf2-sha256$10$not base64$AAAA")).isFalse();
    }

    @Test
    void theDummyVerificationNeverSucceeds() {
        assertThat(hasher.verifyAgainstDummy("not a password of anyone")).isFalse();
    }
}

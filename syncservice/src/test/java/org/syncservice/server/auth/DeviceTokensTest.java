package org.syncservice.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceTokensTest {
    private final DeviceTokens tokens = new DeviceTokens(new SecureRandom());

    @Test
    void aTokenIs32RandomBytesInBase64UrlWithoutPadding() {
        String token = tokens.issue();

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(DeviceTokens.isWellFormed(token)).isTrue();
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(tokens.issue())).isTrue();
        }
    }

    @Test
    void stringsOfAnotherShapeAreNotTokens() {
        assertThat(DeviceTokens.isWellFormed("")).isFalse();
        assertThat(DeviceTokens.isWellFormed("short")).isFalse();
        assertThat(DeviceTokens.isWellFormed("a".repeat(42) + "=")).isFalse();
        assertThat(DeviceTokens.isWellFormed("a".repeat(42) + "/")).isFalse();
        assertThat(DeviceTokens.isWellFormed("a".repeat(44))).isFalse();
    }

    @Test
    void theHashOfATokenIsItsSha256AndComparesByValue() {
        String token = tokens.issue();

        assertThat(TokenHash.of(token)).isEqualTo(TokenHash.of(token));
        assertThat(TokenHash.of(token).bytes()).hasSize(32);
        assertThat(TokenHash.of(token)).isNotEqualTo(TokenHash.of(tokens.issue()));
        assertThat(TokenHash.of(token).toString()).doesNotContain(token);
    }
}

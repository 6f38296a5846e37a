package org.syncservice.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.core.ServiceException;

class PasswordPolicyTest {
    /** The policy the service runs with when auth.min-password-length is not set. */
    private final PasswordPolicy byDefault = new PasswordPolicy(
            ConfigLoader.load(Map.of()).auth().minPasswordLength());

    @Test
    void theDefaultRefusesElevenCharactersNamingTheFieldAndTheMinimum() {
        assertThatThrownBy(() -> byDefault.check("change_password.new_password", "elevenchars"))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ServiceException.Kind.INVALID_ARGUMENT);
                    assertThat(e.field()).isEqualTo("change_password.new_password");
                })
                .hasMessageContaining("at least 12 characters").hasMessageContaining("has 11");
        assertThatCode(() -> byDefault.check("password", "twelve chars")).doesNotThrowAnyException();
    }

    @Test
    void charactersAreCountedAsCodePointsNotAsJavaChars() {
        String elevenEmoji = "\uD83D\uDE00".repeat(11);
        assertThatThrownBy(() -> byDefault.check("password", elevenEmoji)).hasMessageContaining("has 11");
        assertThatCode(() -> byDefault.check("password", "\uD83D\uDE00".repeat(12))).doesNotThrowAnyException();
    }

    @Test
    void aPasswordLongerThanTheMostIsRefused() {
        assertThatThrownBy(() -> byDefault.check("password", "x".repeat(PasswordPolicy.MAX_CHARS + 1)))
                .hasMessageContaining("at most " + PasswordPolicy.MAX_CHARS);
        assertThatCode(() -> byDefault.check("password", "x".repeat(PasswordPolicy.MAX_CHARS)))
                .doesNotThrowAnyException();
    }
}

package org.syncservice.server.storage.swift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.Secret;
import org.syncservice.server.config.StorageConfig.SwiftInterface;

/**
 * The Keystone v3 login against a real Keystone from Debian's packages (scripts/keystone-test-server.sh):
 * a project-scoped token, the catalog's object-store endpoint per interface and region, a refused
 * password, and the renewal before the announced expiry. Its catalog points at hosts that do not
 * exist (.invalid): only the login is under test here. Skipped (loudly) only when Keystone cannot
 * be installed on this machine.
 */
class KeystoneV3LoginTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static TestServer keystone;

    @BeforeAll
    static void startKeystone() throws Exception {
        TestServerScript.installOrSkip(TestServer.KEYSTONE, "the Keystone v3 login tests (OpenStack Keystone)");
        keystone = TestServer.start(TestServer.KEYSTONE, "KEYSTONE_");
    }

    @AfterAll
    static void stopKeystone() throws Exception {
        if (keystone != null) {
            keystone.close();
        }
    }

    @Test
    void theTokenIsScopedToTheProjectAndTheStorageUrlIsItsPublicObjectStore() throws Exception {
        SwiftSession session = login(credentials(keystone.value("KEYSTONE_PASSWORD"), "", SwiftInterface.PUBLIC),
                Clock.systemUTC());

        String projectId = keystone.value("KEYSTONE_PROJECT_ID");
        assertThat(session.storageUrl())
                .isEqualTo(URI.create("http://public.region-one.invalid:8080/v1/AUTH_" + projectId));
        JsonNode validated = validate(session.token());
        assertThat(validated.path("token").path("project").path("id").asText()).isEqualTo(projectId);
        assertThat(validated.path("token").path("user").path("name").asText()).isEqualTo("syncservice");
    }

    @Test
    void theConfiguredRegionAndInterfacePickTheEndpoint() throws Exception {
        String projectId = keystone.value("KEYSTONE_PROJECT_ID");
        String password = keystone.value("KEYSTONE_PASSWORD");

        assertThat(login(credentials(password, "RegionTwo", SwiftInterface.PUBLIC), Clock.systemUTC()).storageUrl())
                .isEqualTo(URI.create("http://public.region-two.invalid:8080/v1/AUTH_" + projectId));
        assertThat(login(credentials(password, "", SwiftInterface.INTERNAL), Clock.systemUTC()).storageUrl())
                .isEqualTo(URI.create("http://internal.region-one.invalid:8080/v1/AUTH_" + projectId));
        assertThat(login(credentials(password, "RegionOne", SwiftInterface.ADMIN), Clock.systemUTC()).storageUrl())
                .isEqualTo(URI.create("http://admin.region-one.invalid:8080/v1/AUTH_" + projectId));
        assertThatThrownBy(() -> login(credentials(password, "RegionTwo", SwiftInterface.INTERNAL), Clock.systemUTC()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no internal object-store endpoint in region RegionTwo")
                .hasMessageContaining(keystone.value("KEYSTONE_URL"))
                .hasMessageContaining("public@RegionTwo");
    }

    @Test
    void aWrongPasswordIsRefusedNamingKeystoneAndTheUserButNeverThePassword() {
        String wrong = "wrong-" + keystone.value("KEYSTONE_PASSWORD");

        assertThatThrownBy(() -> login(credentials(wrong, "", SwiftInterface.PUBLIC), Clock.systemUTC()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("answered 401")
                .hasMessageContaining(keystone.value("KEYSTONE_URL"))
                .hasMessageContaining("syncservice")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong)
                        .doesNotContain(keystone.value("KEYSTONE_PASSWORD")));
    }

    @Test
    void anUnreachableKeystoneIsAnErrorNamingIt() throws Exception {
        URI closed = URI.create("http://127.0.0.1:" + TestServer.freeLocalPort() + "/v3");
        KeystoneV3Login.Credentials credentials = new KeystoneV3Login.Credentials(closed, "syncservice",
                Secret.of("secret"), "syncservice", "Default", "", SwiftInterface.PUBLIC);

        assertThatThrownBy(() -> new KeystoneV3Login(HTTP, credentials, TIMEOUT, Clock.systemUTC()).login())
                .isInstanceOf(IOException.class)
                .hasMessageContaining(closed.toString())
                .hasMessageContaining("failed");
    }

    /**
     * Keystone's tokens live an hour here: the session is renewed five minutes before the
     * expiry Keystone announced, measured on the service's clock, and not a moment earlier.
     */
    @Test
    void theTokenIsRenewedBeforeItsAnnouncedExpiry() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        Instant loggedIn = clock.instant();
        SessionKeeper sessions = new SessionKeeper(
                new KeystoneV3Login(HTTP, credentials(keystone.value("KEYSTONE_PASSWORD"), "", SwiftInterface.PUBLIC),
                        TIMEOUT, clock), clock);

        SwiftSession first = sessions.current();
        Instant expected = loggedIn.plus(Duration.ofHours(1)).minus(KeystoneToken.RENEWAL_MARGIN);
        assertThat(first.renewAt()).isBetween(expected.minusSeconds(2), expected.plusSeconds(2));

        clock.set(first.renewAt().minusSeconds(1));
        assertThat(sessions.current().token()).isEqualTo(first.token());

        clock.set(first.renewAt());
        SwiftSession renewed = sessions.current();
        assertThat(renewed.token()).isNotEqualTo(first.token());
        assertThat(renewed.renewAt()).isAfter(first.renewAt());
        assertThat(validate(renewed.token()).path("token").path("project").path("id").asText())
                .isEqualTo(keystone.value("KEYSTONE_PROJECT_ID"));
    }

    private static KeystoneV3Login.Credentials credentials(String password, String region, SwiftInterface endpoint) {
        return new KeystoneV3Login.Credentials(URI.create(keystone.value("KEYSTONE_URL")), keystone.value("KEYSTONE_USER"),
                Secret.of(password), keystone.value("KEYSTONE_PROJECT"), keystone.value("KEYSTONE_DOMAIN"), region,
                endpoint);
    }

    private static SwiftSession login(KeystoneV3Login.Credentials credentials, Clock clock) throws Exception {
        return new KeystoneV3Login(HTTP, credentials, TIMEOUT, clock).login();
    }

    /** Keystone's own check of a token (GET /v3/auth/tokens with the token as its own subject). */
    private static JsonNode validate(String token) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(keystone.value("KEYSTONE_URL") + "/auth/tokens"))
                .header("X-Auth-Token", token).header("X-Subject-Token", token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }

    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

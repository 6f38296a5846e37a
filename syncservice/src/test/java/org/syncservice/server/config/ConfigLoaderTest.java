package org.syncservice.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyFileGivesTheDocumentedDefaults() throws IOException {
        ServiceConfig config = ConfigLoader.load(write(""));

        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/syncservice");
        assertThat(config.database().user()).isEqualTo("syncservice");
        assertThat(config.database().password()).isEqualTo(Secret.empty());
        assertThat(config.database().poolSize()).isEqualTo(8);
        assertThat(config.database().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.amqp()).isEqualTo(new AmqpConfig("127.0.0.1", 5672, "/", "guest",
                Secret.of("guest"), false, "syncservice.requests", "syncservice.rpc", "syncservice.notifications",
                false, 1, 4, 32, OptionalInt.empty(), Duration.ofSeconds(30), Duration.ofSeconds(2),
                java.util.Optional.empty(), "", Secret.empty()));
        LimitsConfig limits = config.limits();
        assertThat(limits.maxMessageBytes()).isEqualTo(4_194_304);
        assertThat(limits.maxItemsPerCommit()).isEqualTo(1000);
        assertThat(limits.maxChunksPerItem()).isEqualTo(10_000);
        assertThat(limits.maxNameBytes()).isEqualTo(255);
        assertThat(limits.defaultPageSize()).isEqualTo(500);
        assertThat(limits.maxPageSize()).isEqualTo(5000);
        assertThat(limits.maxFileSizeBytes()).isEqualTo(1L << 40);
        assertThat(limits.chunkNamePattern().pattern()).isEqualTo("[A-Za-z0-9_-]{8,128}");
        assertThat(limits.requestsPerSecondPerDevice()).isZero();
        assertThat(config.auth()).isEqualTo(new AuthConfig(Duration.ofSeconds(30), Duration.ofDays(90), 600_000, 12, 5,
                Duration.ofMinutes(15), java.util.OptionalInt.empty(), false, "syncservice-login",
                java.util.Optional.empty(), "syncservice", "syncservice"));
        assertThat(config.notifications()).isEqualTo(new NotificationConfig(Duration.ofDays(7), 10_000, 100,
                Duration.ofMillis(500), 100, Duration.ofDays(1), false, 10, 65_536));
        assertThat(config.storage()).isEqualTo(new StorageConfig(StorageConfig.Backend.S3,
                Duration.ofMinutes(15), false,
                new StorageConfig.S3("http://127.0.0.1:8081", "us-east-1", "syncservice",
                        "local-identity", Secret.of("local-credential"), true),
                null, null));
        assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 0));
        assertThat(config.http().enabled()).isFalse();
    }

    @Test
    void fileValuesOverrideDefaults() throws IOException {
        ServiceConfig config = ConfigLoader.load(write("""
                # a comment
                db.pool-size = 20
                amqp.heartbeat=500ms
                amqp.tls=TRUE
                notifications.device-queue-ttl=2d
                http.port=8088
                """));

        assertThat(config.database().poolSize()).isEqualTo(20);
        assertThat(config.amqp().heartbeat()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.amqp().tls()).isTrue();
        assertThat(config.notifications().deviceQueueTtl()).isEqualTo(Duration.ofDays(2));
        assertThat(config.http().enabled()).isTrue();
    }

    @Test
    void trailingSpacesAfterAValueAreIgnored() throws IOException {
        ServiceConfig config = ConfigLoader.load(write("db.pool-size=12   \namqp.host=broker \n"));

        assertThat(config.database().poolSize()).isEqualTo(12);
        assertThat(config.amqp().host()).isEqualTo("broker");
    }

    @Test
    void swiftIsBuiltAndTheOtherBackEndsAreNullWhenSwiftIsSelected() {
        StorageConfig storage = ConfigLoader.load(Map.of("storage.backend", "SWIFT")).storage();

        assertThat(storage.backend()).isEqualTo(StorageConfig.Backend.SWIFT);
        assertThat(storage.swift()).isEqualTo(new StorageConfig.Swift(
                "http://127.0.0.1:8080/auth/v1.0", StorageConfig.SwiftAuth.TEMPAUTH, "test:tester",
                Secret.of("testing"), "", "Default", "", StorageConfig.SwiftInterface.PUBLIC,
                Secret.empty(), "syncservice-"));
        assertThat(storage.s3()).isNull();
        assertThat(storage.ftp()).isNull();
    }

    @Test
    void ftpIsBuiltAndTheOtherBackEndsAreNullWhenFtpIsSelected() {
        StorageConfig storage = ConfigLoader.load(Map.of("storage.backend", "ftp")).storage();

        assertThat(storage.ftp()).isEqualTo(new StorageConfig.Ftp("127.0.0.1", 2121, "syncservice",
                Secret.empty(), "/syncservice", false));
        assertThat(storage.s3()).isNull();
        assertThat(storage.swift()).isNull();
    }

    @Test
    void keysOfAnUnselectedBackEndAreAcceptedButNotValidated() {
        StorageConfig storage = ConfigLoader.load(Map.of(
                "storage.backend", "s3",
                "storage.ftp.port", "not a port",
                "storage.swift.auth-version", "nonsense")).storage();

        assertThat(storage.backend()).isEqualTo(StorageConfig.Backend.S3);
    }

    @Test
    void keysOfTheSelectedBackEndAreValidated() {
        assertRejected(Map.of("storage.backend", "ftp", "storage.ftp.port", "0"),
                "storage.ftp.port: expected a whole number from 1 to 65535, got '0'");
    }

    @Test
    void poolSizeOfZeroIsRejectedNamingTheKey() {
        assertRejected(Map.of("db.pool-size", "0"),
                "db.pool-size: expected a whole number from 1 to 200, got '0'");
    }

    @Test
    void theConsumerPriorityIsAutoOrANumber() {
        assertThat(ConfigLoader.load(Map.of("amqp.consumer-priority", "AUTO")).amqp().consumerPriority()).isEmpty();
        assertThat(ConfigLoader.load(Map.of("amqp.consumer-priority", "7")).amqp().consumerPriority()).hasValue(7);
        assertRejected(Map.of("amqp.consumer-priority", "high"),
                "amqp.consumer-priority: expected auto, or a whole number from 0 to 1000000, got 'high'");
        assertRejected(Map.of("amqp.consumer-priority", "-1"),
                "amqp.consumer-priority: expected auto, or a whole number from 0 to 1000000, got '-1'");
    }

    @Test
    void aNonNumberIsRejectedNamingTheKey() {
        assertRejected(Map.of("db.pool-size", "abc"),
                "db.pool-size: expected a whole number from 1 to 200, got 'abc'");
    }

    @Test
    void aNumberTooLargeForItsTypeIsRejectedNamingTheKey() {
        assertRejected(Map.of("limits.max-file-size-bytes", "99999999999999999999"),
                "limits.max-file-size-bytes: expected a whole number of at least 1, got '99999999999999999999'");
    }

    @Test
    void aMessageLimitBelowOneKibibyteIsRejected() {
        assertRejected(Map.of("limits.max-message-bytes", "1023"),
                "limits.max-message-bytes: expected a whole number from 1024 to 134217728, got '1023'");
    }

    @Test
    void aBadDurationIsRejectedNamingTheKey() {
        assertRejected(Map.of("db.connect-timeout", "5 parsecs"),
                "db.connect-timeout: expected a duration with a unit (ms, s, m, h, d) from 250ms to 10m, got '5 parsecs'");
    }

    @Test
    void aDurationWithoutAUnitIsRejectedRatherThanReadAsMilliseconds() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("amqp.heartbeat", "30")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("amqp.heartbeat: expected a duration with a unit");
    }

    @Test
    void theManagementApiNeedsAUserAndNoCredentialsInItsUrl() {
        assertThat(ConfigLoader.load(Map.of("amqp.management-url", "http://broker:15672", "amqp.management-user", "a"))
                .amqp().managementUrl()).contains(java.net.URI.create("http://broker:15672"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("amqp.management-url", "http://broker:15672")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("amqp.management-user: expected a user");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("amqp.management-url", "http://admin:hunter2@broker:15672",
                "amqp.management-user", "admin")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("amqp.management-url: expected no user")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("amqp.management-url", "ftp://broker")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("amqp.management-url: expected empty, or");
    }

    @Test
    void aTokenCacheTtlAboveTenMinutesIsRejected() {
        assertRejected(Map.of("auth.token-cache-ttl", "11m"),
                "auth.token-cache-ttl: expected a duration with a unit (ms, s, m, h, d) from 1s to 10m, got '11m'");
    }

    @Test
    void tooFewPasswordHashIterationsAreRejected() {
        assertRejected(Map.of("auth.password-hash-iterations", "9999"),
                "auth.password-hash-iterations: expected a whole number from 10000 to 10000000, got '9999'");
    }

    @Test
    void aBadBooleanIsRejectedNamingTheKey() {
        assertRejected(Map.of("amqp.tls", "yes"), "amqp.tls: expected true or false, got 'yes'");
    }

    @Test
    void anUnknownBackEndIsRejectedListingTheChoices() {
        assertRejected(Map.of("storage.backend", "dropbox"),
                "storage.backend: expected one of s3, swift, ftp, got 'dropbox'");
    }

    @Test
    void anUnknownSwiftAuthVersionIsRejectedListingTheChoices() {
        assertRejected(Map.of("storage.backend", "swift", "storage.swift.auth-version", "v2"),
                "storage.swift.auth-version: expected one of tempauth, keystone-v3, got 'v2'");
    }

    @Test
    void keystoneWithoutAProjectIsRejectedNamingTheProjectKey() {
        assertRejected(Map.of("storage.backend", "swift", "storage.swift.auth-version", "keystone-v3"),
                "storage.swift.project: expected a project name when storage.swift.auth-version is keystone-v3");
    }

    @Test
    void aRegexThatDoesNotCompileIsRejectedNamingTheKeyAndTheProblem() {
        assertRejectedStartingWith(Map.of("limits.chunk-name-pattern", "([a-z]+"),
                "limits.chunk-name-pattern: expected a Java regular expression (Unclosed group near index");
    }

    @Test
    void aQueueNameWithASpaceIsRejectedNamingTheKey() {
        assertRejectedStartingWith(Map.of("amqp.request-queue", "sync requests"),
                "amqp.request-queue: expected a name of 1 to 200 characters");
    }

    @Test
    void anExchangeNameInTheBrokersReservedNamespaceIsRejected() {
        assertRejectedStartingWith(Map.of("amqp.notification-exchange", "amq.topic"),
                "amqp.notification-exchange: expected a name of 1 to 200 characters");
    }

    @Test
    void aQueueNameLongerThan200CharactersIsRejected() {
        assertRejectedStartingWith(Map.of("amqp.request-queue", "q".repeat(201)),
                "amqp.request-queue: expected a name");
    }

    @Test
    void aDefaultPageSizeAboveTheMaximumIsRejectedNamingTheDefault() {
        assertRejected(Map.of("limits.default-page-size", "600", "limits.max-page-size", "599"),
                "limits.default-page-size: expected at most limits.max-page-size (599), got '600'");
    }

    @Test
    void lockDurationsAreBoundedAndTheDefaultMayNotPassTheMaximum() {
        assertRejected(Map.of("locks.default-duration", "9h"),
                "locks.default-duration: expected at most locks.max-duration (8h), got '9h'");
        assertRejectedStartingWith(Map.of("locks.max-duration", "1s"), "locks.max-duration: expected a duration");
        var locks = ConfigLoader.load(Map.of("locks.default-duration", "1m", "locks.max-duration", "2h")).locks();
        assertThat(locks.defaultDuration()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(locks.maxDuration()).isEqualTo(java.time.Duration.ofHours(2));
    }

    @Test
    void aPageByteBudgetOutsideItsRangeIsRejectedNamingIt() {
        assertRejected(Map.of("limits.page-bytes", "100"),
                "limits.page-bytes: expected a whole number from 4096 to 16777216, got '100'");
        assertRejected(Map.of("limits.page-bytes", "33554432"),
                "limits.page-bytes: expected a whole number from 4096 to 16777216, got '33554432'");
    }

    @Test
    void aDatabaseUrlForAnotherDatabaseIsRejected() {
        assertRejected(Map.of("db.url", "jdbc:mysql://localhost/x"),
                "db.url: expected a JDBC URL starting with jdbc:postgresql:, got 'jdbc:mysql://localhost/x'");
    }

    @Test
    void aStandbyIsNoneByDefaultAndLogsInAsTheServiceUnlessItsUserIsGiven() {
        ServiceConfig none = ConfigLoader.load(Map.of());
        assertThat(none.database().standby()).isEmpty();

        ServiceConfig sameLogin = ConfigLoader.load(Map.of("db.user", "sync", "db.password", "pw",
                "db.standby-url", "jdbc:postgresql://replica:5432/syncservice"));
        assertThat(sameLogin.database().standby()).contains(new DatabaseConfig.Standby(
                "jdbc:postgresql://replica:5432/syncservice", "sync", Secret.of("pw")));

        ServiceConfig ownLogin = ConfigLoader.load(Map.of("db.password", "pw",
                "db.standby-url", "jdbc:postgresql://replica/syncservice", "db.standby-user", "reader",
                "db.standby-password", "other"));
        assertThat(ownLogin.database().standby()).contains(new DatabaseConfig.Standby(
                "jdbc:postgresql://replica/syncservice", "reader", Secret.of("other")));
    }

    @Test
    void aStandbyUrlForAnotherDatabaseIsRejected() {
        assertRejected(Map.of("db.standby-url", "jdbc:mysql://replica/x"), "db.standby-url: expected empty, or a"
                + " JDBC URL starting with jdbc:postgresql:, got 'jdbc:mysql://replica/x'");
    }

    @Test
    void aStandbyLoginWithoutAStandbyIsRejectedNamingTheKey() {
        assertRejectedStartingWith(Map.of("db.standby-user", "reader"), "db.standby-user: expected db.standby-url");
        assertRejectedStartingWith(Map.of("db.standby-password", "secret-value"),
                "db.standby-password: expected db.standby-url");
    }

    @Test
    void aStandbyPasswordWithoutItsUserIsRejectedNamingTheKey() {
        assertRejectedStartingWith(Map.of("db.standby-url", "jdbc:postgresql://replica/syncservice",
                "db.standby-password", "secret-value"), "db.standby-password: expected db.standby-user");
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsRejected() {
        assertRejectedStartingWith(Map.of("storage.s3.endpoint", "127.0.0.1:8081"),
                "storage.s3.endpoint: expected an http:// or https:// URL with a host");
    }

    @Test
    void anEmptyHostIsRejected() {
        assertRejected(Map.of("amqp.host", " "), "amqp.host: expected a non-empty value, got ' '");
    }

    @Test
    void anUnknownKeyIsRejectedAndACloseKnownKeySuggested() throws IOException {
        Path file = write("db.pasword=x\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage("unknown key 'db.pasword' in " + file + " (did you mean 'db.password'?)");
    }

    @Test
    void aValueKeyBesideKeysUnderItIsStillReportedAsUnknown() throws IOException {
        // Lightbend's tree would drop storage.s3 silently in favour of storage.s3.bucket.
        Path file = write("storage.s3=x\nstorage.s3.bucket=abc\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key 'storage.s3' in " + file);
    }

    @Test
    void aMalformedEscapeIsReportedAgainstTheFile() throws IOException {
        Path file = write("db.user=\\uZZZZ\n");

        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + file + ": ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnknownKeyInAMapIsRejected() {
        assertRejected(Map.of("cache.size", "1"), "unknown key 'cache.size'");
    }

    @Test
    void aKeyUnderAValueKeyIsUnknown() {
        assertRejectedStartingWith(Map.of("db.pool-size.max", "3"), "unknown key 'db.pool-size.max'");
    }

    @Test
    void aMissingFileIsReportedByName() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> ConfigLoader.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + ": not found");
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + dir + ": not a regular file");
    }

    @Test
    void aBadSecretIsRejectedWithoutEchoingIt() {
        String secret = "hunter2\u0007tail";

        assertThatThrownBy(() -> ConfigLoader.load(Map.of("db.password", secret)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("db.password: expected text without control characters")
                .message().doesNotContain("hunter2").doesNotContain("tail");
    }

    @Test
    void anEmptyRequiredSecretIsRejectedWithoutEchoingIt() {
        assertRejected(Map.of("storage.s3.secret-key", ""),
                "storage.s3.secret-key: expected non-empty text without control characters");
    }

    @Test
    void secretsAreTakenExactlyAsWritten() throws IOException {
        ServiceConfig config = ConfigLoader.load(write("amqp.password=pass with space  \n"));

        assertThat(config.amqp().password().reveal()).isEqualTo("pass with space  ");
    }

    @Test
    void noConfigToStringShowsASecret() {
        Map<String, String> values = new HashMap<>();
        values.put("db.password", "db-secret-1");
        values.put("amqp.password", "amqp-secret-2");
        values.put("storage.s3.secret-key", "s3-secret-3");
        values.put("storage.swift.password", "swift-secret-4");
        values.put("storage.swift.temp-url-key", "swift-secret-5");
        values.put("storage.ftp.password", "ftp-secret-6");

        for (String backend : new String[] {"s3", "swift", "ftp"}) {
            values.put("storage.backend", backend);
            String text = ConfigLoader.load(values).toString();
            assertThat(text).doesNotContain("secret-");
        }
    }

    @Test
    void messagesAreOneLineEvenForValuesWithLineBreaks() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("amqp.port", "56\n72")))
                .hasMessage("amqp.port: expected a whole number from 1 to 65535, got '56\\n72'");
    }

    @Test
    void theDefaultOfEveryKeyIsValidForEveryBackEnd() {
        for (String backend : new String[] {"s3", "swift", "ftp"}) {
            assertThat(ConfigLoader.load(Map.of("storage.backend", backend)).storage().backend().name())
                    .isEqualToIgnoringCase(backend);
        }
    }

    @Test
    void aBrokerSigningKeyFileMustBeAReadableFileAndIsKeptAsItsPathOnly() throws IOException {
        Path key = dir.resolve("broker-signing.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nnot shown\n-----END PRIVATE KEY-----\n");
        ServiceConfig config = ConfigLoader.load(Map.of("auth.broker-signing-key-file", key.toString()));
        assertThat(config.auth().brokerSigningKeyFile()).contains(key);
        assertThat(config.auth().brokerTokens()).isTrue();
        assertThat(config.toString()).doesNotContain("not shown");
        assertThat(ConfigLoader.load(Map.of()).auth().brokerTokens()).as("off by default").isFalse();

        assertRejectedStartingWith(Map.of("auth.broker-signing-key-file", dir.resolve("missing.pem").toString()),
                "auth.broker-signing-key-file: expected empty, or the path of a readable file");
        assertRejectedStartingWith(Map.of("auth.broker-signing-key-file", dir.toString()),
                "auth.broker-signing-key-file: expected empty, or the path of a readable file");
    }

    @Test
    void brokerTokensNeedATokenLifetimeOfAtLeastFiveSeconds() throws IOException {
        Path key = dir.resolve("broker-signing.pem");
        Files.writeString(key, "key");
        assertRejected(Map.of("auth.broker-signing-key-file", key.toString(), "auth.token-cache-ttl", "4s"),
                "auth.token-cache-ttl: expected at least 5s when auth.broker-signing-key-file is set"
                        + " (broker tokens live that long), got '4s'");
        assertThat(ConfigLoader.load(Map.of("auth.token-cache-ttl", "1s")).auth().tokenCacheTtl())
                .as("without broker tokens").isEqualTo(Duration.ofSeconds(1));
        assertRejectedStartingWith(Map.of("auth.broker-signing-key-id", "a/b"), "auth.broker-signing-key-id: expected");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("config.properties");
        Files.writeString(file, text);
        return file;
    }

    private static void assertRejected(Map<String, String> values, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(values))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    private static AbstractThrowableAssert<?, ?> assertRejectedStartingWith(Map<String, String> values, String start) {
        return assertThatThrownBy(() -> ConfigLoader.load(values))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(start)
                .hasMessageNotContaining("\n");
    }
}

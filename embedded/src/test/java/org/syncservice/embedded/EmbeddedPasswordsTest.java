package org.syncservice.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL and broker let in only who knows the passwords generated into the data directory. */
class EmbeddedPasswordsTest {

    @Test
    void postgresAndTheBrokerNeedTheGeneratedPasswordsWhichOnlyTheOwnerCanRead(@TempDir Path data) throws Exception {
        try (EmbeddedSyncService embedded = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            embedded.start();
            String url = embedded.jdbcUrl();
            String postgresPassword = Files.readString(data.resolve("postgres.password"), StandardCharsets.UTF_8).strip();
            String brokerPassword = Files.readString(data.resolve("broker.password"), StandardCharsets.UTF_8).strip();

            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", "guessed"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (Connection connection = DriverManager.getConnection(url, "postgres", postgresPassword)) {
                assertThat(connection.isValid(5)).isTrue();
            }

            assertThatThrownBy(() -> broker(embedded, "guest").newConnection().close())
                    .isInstanceOf(com.rabbitmq.client.PossibleAuthenticationFailureException.class);
            broker(embedded, brokerPassword).newConnection().close();

            for (String secret : new String[] {"postgres.password", "broker.password", "broker/initial-config.json"}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(secret))))
                        .as(secret).isEqualTo("rw-------");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            assertThat(Files.readString(data.resolve("postgres").resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThat(data.resolve("postgres-binaries")).isDirectory();
        }
    }

    @Test
    void aDataDirectoryFromBeforePasswordsIsProtectedAtItsNextStart(@TempDir Path data) throws Exception {
        try (EmbeddedSyncService first = new EmbeddedSyncService(new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            first.start();
        }
        // As the embedded mode left it before it generated passwords: trust for everyone, no password file.
        Files.writeString(data.resolve("postgres").resolve("pg_hba.conf"),
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n");
        Files.delete(data.resolve("postgres.password"));

        try (EmbeddedSyncService upgraded = new EmbeddedSyncService(
                new EmbeddedSyncService.Settings(data, 0, "demo-secret-12"))) {
            upgraded.start();

            assertThatThrownBy(() -> DriverManager.getConnection(upgraded.jdbcUrl(), "postgres", ""))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            String password = Files.readString(data.resolve("postgres.password"), StandardCharsets.UTF_8).strip();
            try (Connection connection = DriverManager.getConnection(upgraded.jdbcUrl(), "postgres", password)) {
                assertThat(connection.isValid(5)).isTrue();
            }
        }
    }

    private static ConnectionFactory broker(EmbeddedSyncService embedded, String password) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(embedded.amqpPort());
        factory.setUsername(embedded.config().amqp().user());
        factory.setPassword(password);
        factory.setConnectionTimeout(5000);
        return factory;
    }
}

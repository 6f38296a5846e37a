package org.syncservice.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.server.config.ConfigLoader;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.store.jdbc.SetupScript;
import org.syncservice.server.testing.InMemoryChunkStorage;
import org.syncservice.server.testing.TestBroker;
import org.syncservice.server.testing.TestDatabase;
import org.syncservice.server.testing.SchemaVersion;

/** The service runs on the schemas it expects: migrated, or built by setup_db.sql with psql. */
class SchemaAtStartUpTest {

    @Test
    void theServiceStartsOnADatabaseSetupDbSqlBuiltWithoutMigrationHistory() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty(); TestBroker broker = TestBroker.create()) {
            new SetupScript(database.dataSource()).apply();

            try (SyncService service = SyncService.start(config(database, broker), "test", Clock.systemUTC(),
                    new InMemoryChunkStorage(org.syncservice.server.config.StorageConfig.Backend.S3))) {
                assertThat(service.components().status().schemaVersion()).isEqualTo(SchemaVersion.CURRENT);
            }
        }
    }

    @Test
    void theServiceStartsOnAMigratedDatabase() throws Exception {
        try (TestDatabase database = TestDatabase.create(); TestBroker broker = TestBroker.create()) {
            try (SyncService service = SyncService.start(config(database, broker), "test", Clock.systemUTC(),
                    new InMemoryChunkStorage(org.syncservice.server.config.StorageConfig.Backend.S3))) {
                assertThat(service.components().status().schemaVersion()).isEqualTo(SchemaVersion.CURRENT);
            }
        }
    }

    private static ServiceConfig config(TestDatabase database, TestBroker broker) {
        return ConfigLoader.load(Map.of(
                "db.url", database.url(),
                "db.user", TestDatabase.user(),
                "amqp.host", TestBroker.host(),
                "amqp.port", Integer.toString(TestBroker.port()),
                "amqp.request-queue", broker.requestQueue(),
                "amqp.notification-exchange", broker.notificationExchange(),
                "notifications.device-queue-ttl", "1m"));
    }
}

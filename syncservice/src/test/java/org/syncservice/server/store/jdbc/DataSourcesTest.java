package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestComponents;
import org.syncservice.server.testing.TestDatabase;

class DataSourcesTest {

    @Test
    void pooledConnectionsWaitOutsideAnyTransactionWithTheirPlanSettingApplied() throws Exception {
        try (TestDatabase database = TestDatabase.create()) {
            String pool = "ds-test-" + UUID.randomUUID().toString().substring(0, 8);
            try (HikariDataSource dataSource = DataSources.pooled(
                    TestComponents.config(database, Map.of()).database(), pool);
                 Connection observer = database.dataSource().getConnection()) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (count(observer, pool, "true") < 2 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(count(observer, pool, "true")).as("the pool's idle connections").isGreaterThanOrEqualTo(2);
                assertThat(count(observer, pool, "state LIKE 'idle in transaction%'"))
                        .as("idle pooled connections holding a transaction open").isZero();
                try (Connection pooled = dataSource.getConnection();
                     PreparedStatement show = pooled.prepareStatement("SHOW plan_cache_mode");
                     ResultSet row = show.executeQuery()) {
                    row.next();
                    assertThat(row.getString(1)).isEqualTo("force_generic_plan");
                }
            }
        }
    }

    private static long count(Connection observer, String applicationName, String condition) throws SQLException {
        try (PreparedStatement select = observer.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE application_name = ? AND " + condition)) {
            select.setString(1, applicationName);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }
}

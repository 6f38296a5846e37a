package org.syncservice.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.syncservice.server.config.ServiceConfig;
import org.syncservice.server.store.jdbc.DataSources;

/**
 * ANALYZEs the service's database during the warm-up. A benchmark starts from a fresh database,
 * and PostgreSQL keeps the plans it chose while the tables were nearly empty until statistics
 * change (autovacuum looks only once a minute): the measured period must see the plans of a
 * populated database, as a long-running service does. ANALYZE invalidates the cached plans.
 */
final class Analyzer {

    private Analyzer() {
    }

    static void analyze(ServiceConfig config) {
        long started = System.nanoTime();
        try (HikariDataSource dataSource = DataSources.pooled(config.database(), "bench-analyze");
             Connection connection = dataSource.getConnection();
             Statement analyze = connection.createStatement()) {
            connection.setAutoCommit(true);
            analyze.execute("ANALYZE");
            System.out.printf(java.util.Locale.ROOT, "analysed the database during the warm-up (%.1f s)%n",
                    (System.nanoTime() - started) / 1e9);
        } catch (SQLException | RuntimeException e) {
            System.out.println("bench: ANALYZE during the warm-up failed: " + e);
        }
    }
}

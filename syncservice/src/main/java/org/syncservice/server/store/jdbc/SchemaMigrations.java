package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema's versions: Flyway migrations ({@code V<n>__<what>.sql} beside this class, under
 * {@code migration/}), applied in order and recorded in {@code flyway_schema_history}. A database
 * that setup_db.sql built before migrations existed has a {@code schema_version} table and no
 * history: migrating it first runs setup_db.sql (which brings any earlier build of it up to date,
 * as --init-db always did) and then baselines the history at the version schema_version records,
 * so that only later migrations run on it. Thread-safe; concurrent {@link #migrate()} calls, from
 * any number of processes, serialise on an advisory lock.
 */
public final class SchemaMigrations {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrations.class);
    /** Where this build's migrations are. */
    public static final String LOCATION = "classpath:org/syncservice/server/store/jdbc/migration";
    /** Held for a whole migrate, baselining included; setup_db.sql takes 7205834211 within it. */
    private static final long MIGRATE_LOCK = 7205834212L;

    private final DataSource dataSource;
    private final List<String> locations;

    public SchemaMigrations(DataSource dataSource) {
        this(dataSource, List.of(LOCATION));
    }

    /** @param locations where the migrations are (tests add one holding a later version) */
    public SchemaMigrations(DataSource dataSource, List<String> locations) {
        this.dataSource = dataSource;
        this.locations = List.copyOf(locations);
    }

    /** How the database's schema stands against the newest migration; changes nothing. */
    public SchemaState inspect() throws SQLException {
        Catalog catalog = catalog();
        MigrationInfoService info = flyway(null).info();
        int expected = expected(info);
        if (!catalog.history()) {
            if (catalog.schemaVersion() == 0) {
                return new SchemaState(catalog.tables() == 0 ? SchemaState.Kind.EMPTY : SchemaState.Kind.FOREIGN,
                        0, expected);
            }
            int found = catalog.schemaVersion();
            return new SchemaState(found == expected ? SchemaState.Kind.SETUP_SCRIPT
                    : found < expected ? SchemaState.Kind.OLDER : SchemaState.Kind.NEWER, found, expected);
        }
        int found = 0;
        boolean future = false;
        for (MigrationInfo applied : info.applied()) {
            if (applied.getVersion() == null) {
                continue;
            }
            if (applied.getState().isFailed()) {
                return new SchemaState(SchemaState.Kind.FAILED, number(applied.getVersion()), expected);
            }
            future |= applied.getState() == MigrationState.FUTURE_SUCCESS;
            found = Math.max(found, number(applied.getVersion()));
        }
        SchemaState.Kind kind = future ? SchemaState.Kind.NEWER
                : info.pending().length > 0 ? SchemaState.Kind.OLDER : SchemaState.Kind.CURRENT;
        return new SchemaState(kind, found, expected);
    }

    /**
     * Applies the pending migrations (baselining a setup_db.sql-built database first). A database
     * that is newer, foreign or holds a failed migration is left as it is.
     *
     * @return how the schema stands afterwards: {@link SchemaState#usable()} unless it was left alone
     */
    public SchemaState migrate() throws SQLException {
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            advisory(lock, "SELECT pg_advisory_lock(?)");
            try {
                SchemaState before = inspect();
                switch (before.kind()) {
                    case FOREIGN, NEWER, FAILED -> {
                        return before;
                    }
                    default -> {
                    }
                }
                if (!catalog().history() && before.kind() != SchemaState.Kind.EMPTY) {
                    new SetupScript(dataSource).apply();
                    int version = catalog().schemaVersion();
                    flyway(Integer.toString(version)).baseline();
                    log.info("schema built by setup_db.sql before migrations: brought up to date and baselined at"
                            + " version {}", version);
                }
                MigrateResult result = flyway(null).migrate();
                SchemaState after = inspect();
                if (result.migrationsExecuted > 0) {
                    log.info("schema migrated from version {} to {} ({} migration(s))", before.found(), after.found(),
                            result.migrationsExecuted);
                }
                return after;
            } finally {
                advisory(lock, "SELECT pg_advisory_unlock(?)");
            }
        }
    }

    private Flyway flyway(String baselineVersion) {
        var configuration = Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                .failOnMissingLocations(true)
                .cleanDisabled(true);
        if (baselineVersion != null) {
            configuration.baselineVersion(baselineVersion).baselineDescription("schema built by setup_db.sql");
        }
        return configuration.load();
    }

    private static int expected(MigrationInfoService info) {
        int expected = 0;
        for (MigrationInfo migration : info.all()) {
            if (migration.getVersion() != null && migration.getState().isResolved()) {
                expected = Math.max(expected, number(migration.getVersion()));
            }
        }
        return expected;
    }

    /** Versions are whole numbers (V1, V2, ...), as schema_version records them. */
    private static int number(MigrationVersion version) {
        return version.getVersion() == null ? 0 : Integer.parseInt(version.getVersion());
    }

    /** What is there before Flyway looks: its history, setup_db.sql's own record, any table at all. */
    private record Catalog(boolean history, int schemaVersion, int tables) {
    }

    private Catalog catalog() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean history = exists(connection, "flyway_schema_history");
            int schemaVersion = 0;
            if (exists(connection, "schema_version")) {
                schemaVersion = single(connection, "SELECT COALESCE(max(version), 0) FROM schema_version");
            }
            int tables = single(connection, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm')");
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            return new Catalog(history, schemaVersion, tables);
        }
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT to_regclass(quote_ident(current_schema()) || '.' || quote_ident(?)) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static int single(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static void advisory(Connection connection, String sql) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, MIGRATE_LOCK);
            statement.execute();
        }
    }
}

package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

/**
 * setup_db.sql, the whole current schema for psql users, builds exactly what the migrations build:
 * the same catalog (Flyway's own history table aside) and the same schema_version rows.
 */
class SetupScriptMatchesMigrationsTest {
    /** Each query lists one kind of catalog object of the public schema, one line per object, in a stable order. */
    private static final Map<String, String> CATALOG = new LinkedHashMap<>();

    static {
        String ours = " AND c.relname NOT LIKE 'flyway_schema_history%'";
        CATALOG.put("relations", "SELECT c.relname || ' ' || c.relkind::text FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'" + ours + " ORDER BY 1");
        CATALOG.put("columns", "SELECT c.relname || '.' || a.attname || ' #' || a.attnum || ' '"
                + " || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
                + " || ' identity=' || a.attidentity::text || ' generated=' || a.attgenerated::text"
                + " || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped"
                + ours + " ORDER BY 1");
        CATALOG.put("constraints", "SELECT c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)"
                + " || CASE WHEN k.condeferrable THEN ' DEFERRABLE' ELSE '' END"
                + " || CASE WHEN k.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END"
                + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'" + ours + " ORDER BY 1");
        CATALOG.put("indexes", "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
                + " AND tablename NOT LIKE 'flyway_schema_history%' ORDER BY 1");
        CATALOG.put("sequences", "SELECT sequencename || ' ' || data_type || ' ' || start_value || ' ' || increment_by"
                + " FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1");
        CATALOG.put("functions", "SELECT pg_get_functiondef(p.oid) FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1");
        CATALOG.put("triggers", "SELECT tgname || ' ' || pg_get_triggerdef(t.oid) FROM pg_trigger t"
                + " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY 1");
        CATALOG.put("schema_version rows", "SELECT version || ' ' || description FROM schema_version ORDER BY version");
        CATALOG.put("cursor_keys rows", "SELECT count(*)::text FROM cursor_keys");
    }

    @Test
    void setupDbSqlBuildsTheSchemaTheMigrationsBuild() throws Exception {
        try (TestDatabase migrated = TestDatabase.createEmpty(); TestDatabase scripted = TestDatabase.createEmpty()) {
            new SchemaMigrations(migrated.dataSource()).migrate();
            new SetupScript(scripted.dataSource()).apply();

            Map<String, List<String>> fromMigrations = catalog(migrated);
            Map<String, List<String>> fromScript = catalog(scripted);

            assertThat(fromMigrations.get("columns")).as("columns").hasSizeGreaterThan(100);
            for (String kind : CATALOG.keySet()) {
                assertThat(fromScript.get(kind)).as(kind + " built by setup_db.sql, against the migrations'")
                        .containsExactlyElementsOf(fromMigrations.get(kind));
            }
        }
    }

    private static Map<String, List<String>> catalog(TestDatabase database) throws SQLException {
        Map<String, List<String>> catalog = new LinkedHashMap<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (var query : CATALOG.entrySet()) {
                List<String> lines = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery(query.getValue())) {
                    while (rows.next()) {
                        lines.add(rows.getString(1));
                    }
                }
                catalog.put(query.getKey(), lines);
            }
        }
        return catalog;
    }
}

package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

class SchemaInstallerTest {

    @Test
    void applyingTheSchemaTwiceChangesNothingTheSecondTime() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty()) {
            SchemaInstaller installer = new SchemaInstaller(database.dataSource());

            assertThat(installer.apply()).isEqualTo(1);
            List<String> tablesAfterFirst = tables(database);
            assertThat(installer.apply()).isEqualTo(1);

            assertThat(tables(database)).isEqualTo(tablesAfterFirst).contains(
                    "users", "devices", "workspaces", "workspace_members", "items", "item_versions",
                    "request_log", "request_log_items", "device_cursors", "outbox", "schema_version");
        }
    }

    private static List<String> tables(TestDatabase database) throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}

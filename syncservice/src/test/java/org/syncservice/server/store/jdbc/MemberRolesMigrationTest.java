package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

/** V5 turns the members of a database built before roles into writers, and then knows only the new roles. */
class MemberRolesMigrationTest {
    private static final String[] BEFORE_ROLES = {"V1__initial_schema.sql", "V2__broker_disconnects.sql",
        "V3__file_locks.sql", "V4__login_failures.sql"};

    @Test
    void everyMemberBecomesAWriterTheOwnerStaysAndMemberIsNoLongerARole() throws Exception {
        try (TestDatabase database = TestDatabase.createEmpty();
             Connection c = database.dataSource().getConnection();
             Statement sql = c.createStatement()) {
            for (String migration : BEFORE_ROLES) {
                sql.execute(migration(migration));
            }
            sql.execute("INSERT INTO users (user_id, email, name, password_hash, quota_limit_bytes) VALUES"
                    + " ('00000000-0000-0000-0000-000000000001', 'ann@example.org', 'Ann', 'x', 1),"
                    + " ('00000000-0000-0000-0000-000000000002', 'bob@example.org', 'Bob', 'x', 1)");
            sql.execute("INSERT INTO workspaces (workspace_id, owner_id, is_shared, storage_backend, storage_container)"
                    + " VALUES ('00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000001',"
                    + " true, 'S3', 'b')");
            sql.execute("INSERT INTO workspace_members (workspace_id, user_id, role, name) VALUES"
                    + " ('00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000001', 'OWNER', 'P'),"
                    + " ('00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000002', 'MEMBER', 'P')");

            sql.execute(migration("V5__member_roles.sql"));

            try (ResultSet rows = sql.executeQuery("SELECT string_agg(role, ',' ORDER BY user_id)"
                    + " FROM workspace_members")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("OWNER,WRITER");
            }
            assertThatThrownBy(() -> sql.execute("UPDATE workspace_members SET role = 'MEMBER'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("workspace_members_role_check");
            sql.execute("UPDATE workspace_members SET role = 'READER' WHERE role = 'WRITER'");
            sql.execute("INSERT INTO outbox (kind, workspace_id, user_id) VALUES ('PERMISSIONS_CHANGED',"
                    + " '00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000002')");
        }
    }

    private static String migration(String name) throws IOException {
        try (InputStream in = MemberRolesMigrationTest.class.getResourceAsStream("migration/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

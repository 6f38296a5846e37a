package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.syncservice.server.notify.OutboxEvent.WorkspaceChange;
import org.syncservice.server.testing.TestDatabase;

/** The outbox kinds the code writes and reads are the ones the schema lets a row have. */
class OutboxKindTest {

    @Test
    void theKindsAreExactlyThoseTheSchemasCheckConstraintAllows() throws Exception {
        Set<String> allowed = new TreeSet<>();
        try (TestDatabase database = TestDatabase.create();
             Connection c = database.dataSource().getConnection();
             Statement statement = c.createStatement();
             ResultSet row = statement.executeQuery("SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                     + " WHERE conname = 'outbox_kind_check'")) {
            assertThat(row.next()).as("the outbox table has its kind check").isTrue();
            Matcher quoted = Pattern.compile("'([A-Z_]+)'").matcher(row.getString(1));
            while (quoted.find()) {
                allowed.add(quoted.group(1));
            }
        }
        Set<String> kinds = Arrays.stream(OutboxKind.values()).map(Enum::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(kinds).isEqualTo(allowed);
    }

    @Test
    void everyWorkspaceChangeHasOneKindAndStoredNamesAreReadBack() {
        for (WorkspaceChange change : WorkspaceChange.values()) {
            assertThat(Arrays.stream(OutboxKind.values())
                    .filter(kind -> kind.workspaceChange().equals(java.util.Optional.of(change))))
                    .as("kinds announcing %s", change).hasSize(1);
        }
        for (OutboxKind kind : OutboxKind.values()) {
            assertThat(OutboxKind.stored(kind.name())).contains(kind);
        }
        assertThat(OutboxKind.stored("WORKSPACE_ARCHIVED")).as("a kind of a newer version").isEmpty();
    }
}

package org.syncservice.server.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.syncservice.server.testing.TestDatabase;

/** Rows bound as arrays come back from unnest as the rows they were, each value in its column. */
class ArrayColumnsTest {
    private record Row(long id, UUID owner, String name, Integer depth, boolean folder, byte[] hash) {
    }

    private static final ArrayColumns<Row> COLUMNS = ArrayColumns.<Row>builder()
            .column("id", "int8", Row::id)
            .column("owner", "uuid", Row::owner)
            .column("name", "text", Row::name)
            .column("depth", "int4", Row::depth)
            .column("folder", "bool", Row::folder)
            .column("hash", "bytea", Row::hash)
            .build();

    @Test
    void unnestReturnsTheBoundRowsInOrderWithTheirNullsAndBytes() throws Exception {
        List<Row> rows = List.of(
                new Row(7, UUID.randomUUID(), "a.txt", 2, false, new byte[] {1, 2, 3}),
                new Row(8, UUID.randomUUID(), null, null, true, new byte[0]),
                new Row(9, UUID.randomUUID(), "c", 0, false, null));
        assertThat(COLUMNS.unnest("r")).isEqualTo("unnest(?::int8[], ?::uuid[], ?::text[], ?::int4[], ?::bool[],"
                + " ?::bytea[]) AS r (id, owner, name, depth, folder, hash)");
        List<Row> read = new ArrayList<>();
        try (TestDatabase database = TestDatabase.create();
             Connection c = database.dataSource().getConnection();
             // Parameters before and after the arrays: bind starts where it is told and says where it ended.
             PreparedStatement shifted = c.prepareStatement("SELECT ?::text AS before, r.* FROM "
                     + COLUMNS.unnest("r") + " WHERE ?::int4 = 1")) {
            shifted.setString(1, "x");
            assertThat(COLUMNS.bind(c, shifted, 2, rows)).isEqualTo(8);
            shifted.setInt(8, 1);
            try (ResultSet result = shifted.executeQuery()) {
                while (result.next()) {
                    read.add(new Row(result.getLong("id"), result.getObject("owner", UUID.class),
                            result.getString("name"), (Integer) result.getObject("depth"),
                            result.getBoolean("folder"), result.getBytes("hash")));
                }
            }
        }
        assertThat(read).hasSize(3);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(read.get(i)).usingRecursiveComparison().isEqualTo(rows.get(i));
        }
    }

    @Test
    void aColumnDeclaredTwiceIsRefused() {
        assertThatThrownBy(() -> ArrayColumns.<Row>builder().column("id", "int8", Row::id)
                .column("id", "int4", Row::depth))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    }
}

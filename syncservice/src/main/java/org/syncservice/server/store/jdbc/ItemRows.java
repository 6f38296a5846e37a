package org.syncservice.server.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.syncservice.server.sync.ItemStatus;
import org.syncservice.server.sync.ItemVersion;

/** The columns of items and item_versions, and how they map to {@link ItemVersion}. */
final class ItemRows {
    /** Columns of {@code items}, in the order {@link #latest} reads them. */
    static final String ITEM_COLUMNS = "item_id, workspace_id, parent_id, name, is_folder, latest_version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at, depth";
    /** Columns of {@code item_versions}, in the order {@link #version} reads them. */
    static final String VERSION_COLUMNS = "item_id, workspace_id, parent_id, name, is_folder, version, status,"
            + " mime_type, checksum, size_bytes, modified_at, chunks, change_seq, device_id, committed_at";

    private ItemRows() {
    }

    /** Reads the first 15 columns, in the order of either column list. */
    static ItemVersion version(ResultSet row) throws SQLException {
        return version(row, 0);
    }

    /** Reads 15 columns starting after {@code offset}. */
    static ItemVersion version(ResultSet row, int offset) throws SQLException {
        long parentId = row.getLong(offset + 3);
        Timestamp modifiedAt = row.getTimestamp(offset + 11);
        Array chunks = row.getArray(offset + 12);
        return new ItemVersion(
                row.getLong(offset + 1),
                row.getObject(offset + 2, UUID.class),
                row.wasNull() ? 0 : parentId,
                row.getString(offset + 4),
                row.getBoolean(offset + 5),
                row.getLong(offset + 6),
                ItemStatus.valueOf(row.getString(offset + 7)),
                row.getString(offset + 8),
                row.getString(offset + 9),
                row.getLong(offset + 10),
                modifiedAt == null ? 0 : modifiedAt.getTime(),
                chunks == null ? List.of() : List.of((String[]) chunks.getArray()),
                row.getLong(offset + 13),
                row.getObject(offset + 14, UUID.class),
                row.getTimestamp(offset + 15).getTime());
    }

    /** Reads an {@link #ITEM_COLUMNS} row: the latest state and its depth. */
    static ItemVersion latest(ResultSet row) throws SQLException {
        return version(row);
    }

    static int depth(ResultSet row) throws SQLException {
        return row.getInt(16);
    }

    static void setParent(PreparedStatement statement, int index, long parentId) throws SQLException {
        if (parentId == 0) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, parentId);
        }
    }

    static void setTime(PreparedStatement statement, int index, long epochMs) throws SQLException {
        if (epochMs == 0) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setTimestamp(index, Timestamp.from(Instant.ofEpochMilli(epochMs)));
        }
    }

    static Array chunks(Connection connection, List<String> chunks) throws SQLException {
        return connection.createArrayOf("text", chunks.toArray(new String[0]));
    }
}

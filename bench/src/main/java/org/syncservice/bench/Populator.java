package org.syncservice.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Fills a workspace with many items straight in PostgreSQL, much faster than commits through the
 * protocol could, then analyses the tables: getChanges is measured on a populated, analysed
 * database, as a long-lived service runs on one. The items form folders of 1,000 files each, all
 * in the workspace's first change, and each has its one version.
 */
final class Populator {
    static final int FILES_PER_FOLDER = 1000;

    private Populator() {
    }

    static void populate(DataSource dataSource, UUID workspaceId, int items) throws SQLException {
        int folders = Math.max(1, items / FILES_PER_FOLDER);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items (workspace_id, parent_id, name, name_key, is_folder, depth, latest_version,"
                            + " status, deleted, change_seq) SELECT ?, NULL, 'bulk-folder-' || f, 'bulk-folder-' || f,"
                            + " true, 0, 1, 'NEW', false, 1 FROM generate_series(1, ?) f")) {
                insert.setObject(1, workspaceId);
                insert.setInt(2, folders);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO items (workspace_id, parent_id, name, name_key, is_folder, depth, latest_version,"
                            + " status, deleted, mime_type, checksum, size_bytes, chunks, change_seq)"
                            + " SELECT ?, p.item_id, 'file-' || g || '.bin', 'file-' || g || '.bin', false, 1, 1,"
                            + " 'NEW', false, 'application/octet-stream', 'sha256:' || md5(g::text), 1048576,"
                            + " ARRAY[md5(g::text) || md5(p.item_id::text)], 1"
                            + " FROM items p CROSS JOIN generate_series(1, ?) g"
                            + " WHERE p.workspace_id = ? AND p.parent_id IS NULL AND p.name LIKE 'bulk-folder-%'")) {
                insert.setObject(1, workspaceId);
                insert.setInt(2, Math.max(0, items / folders - 1));
                insert.setObject(3, workspaceId);
                insert.executeUpdate();
            }
            try (PreparedStatement versions = connection.prepareStatement(
                    "INSERT INTO item_versions (item_id, workspace_id, parent_id, name, is_folder, version, status,"
                            + " mime_type, checksum, size_bytes, chunks, change_seq)"
                            + " SELECT item_id, workspace_id, parent_id, name, is_folder, 1, 'NEW', mime_type,"
                            + " checksum, size_bytes, chunks, 1 FROM items WHERE workspace_id = ?")) {
                versions.setObject(1, workspaceId);
                versions.executeUpdate();
            }
            try (PreparedStatement sequence = connection.prepareStatement(
                    "UPDATE workspaces SET latest_change_seq = GREATEST(latest_change_seq, 1) WHERE workspace_id = ?")) {
                sequence.setObject(1, workspaceId);
                sequence.executeUpdate();
            }
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement analyze = connection.createStatement()) {
                analyze.execute("ANALYZE items");
                analyze.execute("ANALYZE item_versions");
            }
        }
    }
}

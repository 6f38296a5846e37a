package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.syncservice.server.core.MemberRole;
import org.syncservice.server.sync.EndedLock;
import org.syncservice.server.sync.ItemLock;
import org.syncservice.server.sync.ItemVersion;
import org.syncservice.server.sync.LockStore;

/**
 * File locks in PostgreSQL. Each call locks the workspace's row, as every commit of the workspace
 * does first ({@link WorkspaceLocks}), and nothing else before it: the same order, so a lock and
 * a commit never wait for each other in a cycle, and whichever of the two takes the row first is
 * seen by the other. Thread-safe: each call takes its own pooled connection.
 */
public final class JdbcLockStore implements LockStore {
    private static final String LOCK_WORKSPACE = "SELECT owner_id FROM workspaces WHERE workspace_id = ? AND "
            + JdbcSyncStore.MEMBER + " FOR UPDATE";
    /**
     * The role, by a statement after the lock: the locking one's membership probe saw the snapshot
     * from before it waited (see {@link WorkspaceLocks}).
     */
    private static final String ROLE = "SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?";

    private final Transactions transactions;

    public JdbcLockStore(DataSource dataSource) {
        this.transactions = new Transactions(dataSource);
    }

    @Override
    public <T> Optional<T> inLockedWorkspace(UUID workspaceId, UUID userId, Function<LockTransaction, T> work) {
        // A lock and an unlock set a state: a retry after a COMMIT in doubt finds it (renews, or
        // finds nothing to unlock) and answers alike.
        return transactions.inTransaction(StoredAnswers.naturallyIdempotent(), connection -> {
            UUID ownerId;
            try (PreparedStatement select = connection.prepareStatement(LOCK_WORKSPACE)) {
                select.setObject(1, workspaceId);
                select.setObject(2, workspaceId);
                select.setObject(3, userId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    ownerId = row.getObject(1, UUID.class);
                }
            }
            MemberRole role;
            try (PreparedStatement select = connection.prepareStatement(ROLE)) {
                select.setObject(1, workspaceId);
                select.setObject(2, userId);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty(); // removed while this waited for the lock
                    }
                    role = MemberRole.valueOf(row.getString(1));
                }
            }
            return Optional.of(work.apply(new Transaction(connection, workspaceId, ownerId, role)));
        });
    }

    private static final class Transaction implements LockTransaction {
        private final Connection connection;
        private final UUID workspaceId;
        private final UUID ownerId;
        private final MemberRole role;

        Transaction(Connection connection, UUID workspaceId, UUID ownerId, MemberRole role) {
            this.connection = connection;
            this.workspaceId = workspaceId;
            this.ownerId = ownerId;
            this.role = role;
        }

        @Override
        public UUID ownerId() {
            return ownerId;
        }

        @Override
        public MemberRole role() {
            return role;
        }

        @Override
        public Optional<ItemVersion> item(long itemId) {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + ItemRows.ITEM_COLUMNS + " FROM items WHERE item_id = ? AND workspace_id = ?")) {
                select.setLong(1, itemId);
                select.setObject(2, workspaceId);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(ItemRows.latest(row)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw Transactions.translate(e);
            }
        }

        @Override
        public Optional<ItemLock> lock(long itemId) {
            try {
                return LockRows.find(connection, workspaceId, itemId);
            } catch (SQLException e) {
                throw Transactions.translate(e);
            }
        }

        @Override
        public ItemLock put(ItemLock lock) {
            try {
                LockRows.put(connection, lock);
                return LockRows.find(connection, workspaceId, lock.itemId()).orElseThrow();
            } catch (SQLException e) {
                throw Transactions.translate(e);
            }
        }

        @Override
        public void end(EndedLock ended) {
            try {
                LockRows.end(connection, List.of(ended));
            } catch (SQLException e) {
                throw Transactions.translate(e);
            }
        }
    }
}

package org.syncservice.server.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.syncservice.server.sync.CursorKeyStore;

/** The one row of {@code cursor_keys} (setup_db.sql). Thread-safe: each call takes its own pooled connection. */
public final class JdbcCursorKeyStore implements CursorKeyStore {
    /** 60 random bits of a fresh UUID, plus one so it is never 0; drawn again in the rare case it is the same. */
    private static final String NEW_EPOCH = "UPDATE cursor_keys k SET epoch = fresh.epoch, epoch_at = now()"
            + " FROM (SELECT ('x' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 15))::bit(60)::bigint + 1"
            + " AS epoch) fresh WHERE k.epoch <> fresh.epoch RETURNING k.epoch";

    /**
     * The lost history (between a backup and its restore) handed out item ids above the restored
     * sequence; 2^32 more than any id this database knows of is more than it could have, and
     * leaves room for 2^31 epochs in a bigint.
     */
    private static final String SKIP_ITEM_IDS = "SELECT setval(pg_get_serial_sequence('items', 'item_id'),"
            + " GREATEST((SELECT coalesce(max(item_id), 0) FROM items),"
            + " nextval(pg_get_serial_sequence('items', 'item_id'))) + 4294967296)";

    /** Two equal draws of 60 random bits in a row do not happen; no row at all does, on an old schema. */
    private static final int MAX_DRAWS = 3;

    private final Transactions transactions;

    public JdbcCursorKeyStore(DataSource dataSource) {
        this.transactions = new Transactions(dataSource);
    }

    @Override
    public byte[] cursorSecret() {
        return transactions.inTransaction(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT secret FROM cursor_keys");
                 ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("cursor_keys has no row: run --init-db (or psql -f setup_db.sql)");
                }
                return row.getBytes(1);
            }
        });
    }

    @Override
    public long newEpoch() {
        for (int attempt = 0; attempt < MAX_DRAWS; attempt++) {
            Long epoch = transactions.inTransaction(connection -> {
                try (PreparedStatement update = connection.prepareStatement(NEW_EPOCH);
                     ResultSet row = update.executeQuery()) {
                    if (!row.next()) {
                        return null;
                    }
                    long drawn = row.getLong(1);
                    try (PreparedStatement skip = connection.prepareStatement(SKIP_ITEM_IDS)) {
                        skip.executeQuery().close();
                    }
                    return drawn;
                }
            });
            if (epoch != null) {
                return epoch;
            }
        }
        throw new IllegalStateException("cursor_keys has no row: run --init-db (or psql -f setup_db.sql)");
    }
}

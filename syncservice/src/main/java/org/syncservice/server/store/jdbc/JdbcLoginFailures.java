package org.syncservice.server.store.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.syncservice.server.account.LoginFailures;

/**
 * Login failures in PostgreSQL, one row per throttled account (login_failures, migration V4),
 * shared by every instance. An attempt beyond the free failures is claimed with one statement: an
 * update that counts it and sets the account's next allowed time, and does nothing when that time
 * has not come (the row lock orders racing claims, so each sees the one before). Within the free
 * failures a failure is recorded after the check, with one upsert. Accounts are stored as SHA-256
 * of their key, so the table holds no email addresses, not even those of failed guesses.
 * Thread-safe.
 */
public final class JdbcLoginFailures implements LoginFailures {
    /** The count with this failure: 1 again once the earlier ones are forgotten. */
    private static final String COUNT = "(CASE WHEN f.last_failure_at < ? THEN 1 ELSE f.failures + 1 END)";
    private static final String CLAIM = "UPDATE login_failures AS f SET failures = " + COUNT + ","
            + " last_failure_at = ?::timestamptz, not_before = ?::timestamptz + " + delay(COUNT)
            + " WHERE account_hash = ? AND f.not_before <= ?::timestamptz AND " + COUNT + " > ?";
    private static final String RECORD = "INSERT INTO login_failures AS f (account_hash, failures, last_failure_at,"
            + " not_before) VALUES (?, 1, ?::timestamptz, ?::timestamptz + " + delay("1") + ")"
            + " ON CONFLICT (account_hash) DO UPDATE SET failures = " + COUNT + ","
            + " last_failure_at = excluded.last_failure_at,"
            + " not_before = GREATEST(f.not_before, excluded.last_failure_at + " + delay(COUNT) + ")";

    private final Transactions tx;
    private final int freeFailures;
    private final Duration maxDelay;

    /**
     * @param freeFailures failures of an account before delays start
     * @param maxDelay the longest delay between two attempts of an account
     */
    public JdbcLoginFailures(DataSource dataSource, int freeFailures, Duration maxDelay) {
        if (freeFailures < 0 || maxDelay.compareTo(FIRST_DELAY) < 0) {
            throw new IllegalArgumentException("freeFailures >= 0, maxDelay >= 1s");
        }
        this.tx = new Transactions(dataSource);
        this.freeFailures = freeFailures;
        this.maxDelay = maxDelay;
    }

    /**
     * The wait after failure number {@code count} (an SQL expression, used twice): none within the
     * free failures, then 1 s doubling up to the longest. Parameters: {@link #delayParameters}.
     */
    private static String delay(String count) {
        return "(CASE WHEN " + count + " <= ? THEN 0 ELSE LEAST(?::bigint, ?::bigint * power(2, LEAST(" + count
                + " - ? - 1, 30))) END) * interval '1 millisecond'";
    }

    @Override
    public Claim claim(String account, Instant now) {
        byte[] key = hash(account);
        Timestamp at = Timestamp.from(now);
        Timestamp forgottenBefore = forgottenBefore(now);
        return tx.inTransaction(c -> {
            try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                int i = 0;
                claim.setTimestamp(++i, forgottenBefore);
                claim.setTimestamp(++i, at);
                claim.setTimestamp(++i, at);
                i = delayParameters(claim, i, forgottenBefore);
                claim.setBytes(++i, key);
                claim.setTimestamp(++i, at);
                claim.setTimestamp(++i, forgottenBefore);
                claim.setInt(++i, freeFailures);
                if (claim.executeUpdate() == 1) {
                    return new Claim.Allowed(true);
                }
            }
            // Not claimed: within the free failures (or none yet), or still to wait.
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT not_before FROM login_failures WHERE account_hash = ? AND not_before > ?")) {
                select.setBytes(1, key);
                select.setTimestamp(2, at);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? new Claim.Refused(rows.getTimestamp(1).toInstant()) : new Claim.Allowed(false);
                }
            }
        });
    }

    @Override
    public void failed(String account, Claim.Allowed claim, Instant now) {
        if (claim.counted()) {
            return;
        }
        byte[] key = hash(account);
        Timestamp at = Timestamp.from(now);
        Timestamp forgottenBefore = forgottenBefore(now);
        tx.inTransaction(c -> {
            try (PreparedStatement record = c.prepareStatement(RECORD)) {
                int i = 0;
                record.setBytes(++i, key);
                record.setTimestamp(++i, at);
                record.setTimestamp(++i, at);
                i = delayParameters(record, i, null);
                record.setTimestamp(++i, forgottenBefore);
                i = delayParameters(record, i, forgottenBefore);
                return record.executeUpdate();
            }
        });
    }

    private Timestamp forgottenBefore(Instant now) {
        return Timestamp.from(now.minus(LoginFailures.forgetAfter(maxDelay)));
    }

    /**
     * Sets the parameters of {@link #delay} after {@code last}: when its count is {@link #COUNT},
     * that one's ({@code forgottenBefore}) before each use of the count.
     */
    private int delayParameters(PreparedStatement statement, int last, Timestamp forgottenBefore)
            throws java.sql.SQLException {
        int i = last;
        if (forgottenBefore != null) {
            statement.setTimestamp(++i, forgottenBefore);
        }
        statement.setInt(++i, freeFailures);
        statement.setLong(++i, maxDelay.toMillis());
        statement.setLong(++i, FIRST_DELAY.toMillis());
        if (forgottenBefore != null) {
            statement.setTimestamp(++i, forgottenBefore);
        }
        statement.setInt(++i, freeFailures);
        return i;
    }

    @Override
    public void succeeded(String account) {
        update("DELETE FROM login_failures WHERE account_hash = ?", hash(account));
    }

    @Override
    public void notChecked(String account, Claim.Allowed claim) {
        if (!claim.counted()) {
            return;
        }
        update("UPDATE login_failures SET failures = failures - 1 WHERE account_hash = ? AND failures > 0",
                hash(account));
    }

    @Override
    public int forgetQuietSince(Instant before) {
        return tx.inTransaction(c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM login_failures WHERE last_failure_at < ?")) {
                delete.setTimestamp(1, Timestamp.from(before));
                return delete.executeUpdate();
            }
        });
    }

    private void update(String sql, byte[] key) {
        tx.inTransaction(c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                statement.setBytes(1, key);
                return statement.executeUpdate();
            }
        });
    }

    private static byte[] hash(String account) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(account.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}

package org.syncservice.server.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import javax.sql.DataSource;
import org.syncservice.server.core.ServiceException;

/**
 * Runs short explicit transactions on pooled connections and turns database failures into the
 * service's terms: a database that cannot be reached, or a transaction that lost a race, is
 * UNAVAILABLE (retry with the same request id); anything else is a bug and surfaces as INTERNAL.
 * Thread-safe.
 */
final class Transactions {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Statements before the query in one of {@link #firstResultSet}'s. */
    private static final int MAX_SETTINGS = 4;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;

    Transactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T inTransaction(Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /**
     * Executes a statement that runs several (settings first, a query last) and returns the
     * query's rows.
     */
    static ResultSet firstResultSet(PreparedStatement statement) throws SQLException {
        boolean rows = statement.execute();
        for (int skipped = 0; !rows && skipped < MAX_SETTINGS; skipped++) {
            rows = statement.getMoreResults();
        }
        if (!rows) {
            throw new SQLException("the statement returned no rows result");
        }
        return statement.getResultSet();
    }

    static RuntimeException translate(SQLException e) {
        if (isUnavailable(e)) {
            return ServiceException.unavailable("the database is unavailable; retry later", RETRY_AFTER, e);
        }
        return new IllegalStateException("database operation failed (SQLState " + e.getSQLState() + ")", e);
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    private static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException
                || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        // 08: connection exceptions; 53: insufficient resources; 57P: shutdown and admin
        // termination; 40001/40P01: serialization failure and deadlock (the retry can succeed).
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")
                || state.equals("40001") || state.equals("40P01");
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}

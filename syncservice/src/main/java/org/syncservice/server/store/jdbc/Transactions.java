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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.syncservice.server.core.ServiceException;

/**
 * Runs short explicit transactions on pooled connections and turns database failures into the
 * service's terms: a database that cannot be reached, or a transaction that lost a race, is
 * UNAVAILABLE (retry with the same request id); anything else is a bug and surfaces as INTERNAL.
 *
 * <p>A connection that breaks while the COMMIT is on its way leaves the outcome in doubt: the
 * server may have committed and only the reply been lost. Then the transaction's stored answers
 * are looked for on a fresh connection ({@link InDoubtCommits}): there, the failure says the
 * answer is what a retry gets ({@link ServiceException.Outcome#ANSWER_BY_RETRY}); not there,
 * UNAVAILABLE is the truth (nothing stored); not found out in time, the outcome is unknown.
 * A transaction that stores no answer but sets a state its retry finds ({@link
 * StoredAnswers#naturallyIdempotent()}) is answered by its retry as well. Thread-safe.
 */
final class Transactions {
    private static final Logger log = LoggerFactory.getLogger(Transactions.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** Statements before the query in one of {@link #firstResultSet}'s. */
    private static final int MAX_SETTINGS = 4;

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final InDoubtCommits inDoubt;

    Transactions(DataSource dataSource) {
        this(dataSource, InDoubtCommits.FIND_OUT_WITHIN);
    }

    /** @param findOutWithin how long to look for the outcome of a transaction whose COMMIT was in doubt */
    Transactions(DataSource dataSource, Duration findOutWithin) {
        this.dataSource = dataSource;
        this.inDoubt = new InDoubtCommits(dataSource, findOutWithin);
    }

    <T> T inTransaction(Work<T> work) {
        return inTransaction(new StoredAnswers(), work);
    }

    /**
     * @param answers filled by {@code work} with the answers it stores, and told when the COMMIT
     *     travels with a statement of {@code work}
     */
    <T> T inTransaction(StoredAnswers answers, Work<T> work) {
        int backendPid = 0;
        try (Connection connection = dataSource.getConnection()) {
            backendPid = InDoubtCommits.backendPid(connection);
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                answers.commitSending();
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            if (answers.commitSent() && isConnectionLost(e)) {
                throw afterCommitInDoubt(backendPid, answers, e);
            }
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

    private RuntimeException afterCommitInDoubt(int backendPid, StoredAnswers answers, SQLException e) {
        if (answers.keys().isEmpty()) {
            // Nothing stored to look for: a read, or a change whose retry answers alike.
            return answers.retryAnswersAlike() ? ServiceException.answerByRetry(
                    "the database connection broke while committing; retry", RETRY_AFTER, e) : translate(e);
        }
        InDoubtCommits.Found found = inDoubt.find(backendPid, answers.keys());
        log.warn("the database connection broke while committing (SQLState {}, server process {});"
                + " stored answers of {} requests looked for: {}", e.getSQLState(), backendPid, answers.keys().size(),
                found);
        return switch (found) {
            case STORED -> ServiceException.answerByRetry(
                    "the database connection broke after committing; the stored answer is the answer", RETRY_AFTER, e);
            case NOTHING_STORED -> ServiceException.unavailable("the database is unavailable; retry later",
                    RETRY_AFTER, e);
            case UNKNOWN -> ServiceException.outcomeUnknown("the database connection broke while committing and"
                    + " whether the request was applied is unknown; retry with the same request_id", RETRY_AFTER, e);
        };
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
        if (e instanceof SQLTransientException || isConnectionLost(e)) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        // 53: insufficient resources; 40001/40P01: serialization failure and deadlock (the retry can succeed).
        return state.startsWith("53") || state.equals("40001") || state.equals("40P01");
    }

    /**
     * Whether the connection itself failed (rather than a statement): 08, connection exceptions
     * (the driver's I/O errors and "connection closed"); 57P, shutdown and administrator
     * termination, which the server may send after a COMMIT it completed.
     */
    private static boolean isConnectionLost(SQLException e) {
        if (e instanceof SQLRecoverableException || e instanceof SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("57P"));
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
        }
    }
}

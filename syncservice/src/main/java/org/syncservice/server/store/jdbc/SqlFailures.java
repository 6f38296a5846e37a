package org.syncservice.server.store.jdbc;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import org.syncservice.server.core.ServiceException;

/**
 * Sorts database failures into the two a caller can act on: the database is unreachable or busy
 * for now (UNAVAILABLE: retry the same request later), or something is wrong that retrying will
 * not mend (a bug, reported as INTERNAL without SQL text).
 */
final class SqlFailures {
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private SqlFailures() {
    }

    static RuntimeException translate(SQLException e) {
        if (isTransient(e)) {
            return ServiceException.unavailable("the database is unavailable; retry later", RETRY_AFTER, e);
        }
        return new IllegalStateException("database failure (SQLState " + e.getSQLState() + ")", e);
    }

    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") // connection exception
                || state.startsWith("57P")                // admin shutdown, crash shutdown, cannot connect now
                || state.startsWith("53")                 // insufficient resources
                || state.equals("40001")                  // serialization failure
                || state.equals("40P01"));                // deadlock detected
    }

    static boolean isUniqueViolation(SQLException e, String constraint) {
        return "23505".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains(constraint);
    }
}

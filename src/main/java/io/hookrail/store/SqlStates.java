package io.hookrail.store;

import java.sql.SQLException;

/** SQLSTATEs the store code reacts to; H2 and PostgreSQL report them alike. */
public final class SqlStates {

    private static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    /**
     * The insert met an existing key: on both databases the way to detect "already there" without a race. A JDBC
     * batch reports it on the {@link java.sql.BatchUpdateException} or on an exception chained to it, so the chain is
     * searched.
     */
    public static boolean isUniqueViolation(SQLException e) {
        for (SQLException next = e; next != null; next = next.getNextException()) {
            for (Throwable cause = next; cause != null; cause = cause.getCause()) {
                if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }
}

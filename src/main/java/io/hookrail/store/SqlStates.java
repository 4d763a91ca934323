package io.hookrail.store;

import java.sql.SQLException;

/** SQLSTATEs the store code reacts to; H2 and PostgreSQL report them alike. */
public final class SqlStates {

    private static final String UNIQUE_VIOLATION = "23505";

    private SqlStates() {
    }

    /** The insert met an existing key: on both databases the way to detect "already there" without a race. */
    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}

package io.hookrail.audit;

import java.time.Instant;

/**
 * A filter and page of the audit trail, newest entry first. Null filters match everything; {@code actor},
 * {@code action} and {@code subject} match exactly; the time range is half-open: {@code from <= at < to}.
 *
 * @param page zero-based page number
 * @param size entries per page, 1 to {@value #MAX_SIZE}
 */
public record AuditQuery(String actor, String action, String subject, Instant from, Instant to, int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public AuditQuery {
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative: " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be from 1 to " + MAX_SIZE + ": " + size);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from must not be after to");
        }
    }

    /** The newest {@value #DEFAULT_SIZE} entries, unfiltered. */
    public static AuditQuery newest() {
        return new AuditQuery(null, null, null, null, null, 0, DEFAULT_SIZE);
    }

    public AuditQuery withActor(String value) {
        return new AuditQuery(value, action, subject, from, to, page, size);
    }

    public AuditQuery withAction(String value) {
        return new AuditQuery(actor, value, subject, from, to, page, size);
    }

    public AuditQuery withSubject(String value) {
        return new AuditQuery(actor, action, value, from, to, page, size);
    }

    /** Entries with {@code from <= at < to}; either bound may be null. */
    public AuditQuery between(Instant fromInclusive, Instant toExclusive) {
        return new AuditQuery(actor, action, subject, fromInclusive, toExclusive, page, size);
    }

    public AuditQuery withPage(int pageNumber, int pageSize) {
        return new AuditQuery(actor, action, subject, from, to, pageNumber, pageSize);
    }
}

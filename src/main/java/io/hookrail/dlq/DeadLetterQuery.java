package io.hookrail.dlq;

import java.time.Instant;

/**
 * Which dead letters to list or replay; every criterion is optional (null).
 *
 * @param flow         the flow, exactly
 * @param error        a case-insensitive substring of the failure message or exception class
 * @param failedBefore only dead letters that last failed before this instant
 */
public record DeadLetterQuery(String flow, String error, Instant failedBefore) {

    public static final DeadLetterQuery ALL = new DeadLetterQuery(null, null, null);

    public boolean matches(DeadLetter letter) {
        return (flow == null || flow.equals(letter.flow()))
                && (error == null || error.isEmpty() || letter.errorContains(error))
                && (failedBefore == null || letter.failedAt().isBefore(failedBefore));
    }
}

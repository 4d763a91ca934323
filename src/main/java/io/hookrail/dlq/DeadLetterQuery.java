package io.hookrail.dlq;

import java.time.Instant;
import java.util.Set;

/**
 * Which dead letters to list or replay; every criterion is optional (null).
 *
 * @param flow         the flow, exactly
 * @param error        a case-insensitive substring of the failure message or exception class
 * @param failedBefore only dead letters that last failed before this instant
 * @param kinds        only dead letters of these kinds; null (or empty) names none: a list then shows every kind,
 *                     a bulk replay replays its queue's {@link ParkingQueue#replayedByDefault()} (never poison)
 * @param rule         only quarantined events that failed this data-quality rule, exactly
 */
public record DeadLetterQuery(String flow, String error, Instant failedBefore, Set<DeadLetterKind> kinds,
                              String rule) {

    public static final DeadLetterQuery ALL = new DeadLetterQuery(null, null, null, null, null);

    public DeadLetterQuery {
        kinds = kinds == null || kinds.isEmpty() ? null : Set.copyOf(kinds);
    }

    /** Any rule. */
    public DeadLetterQuery(String flow, String error, Instant failedBefore, Set<DeadLetterKind> kinds) {
        this(flow, error, failedBefore, kinds, null);
    }

    /** Any kind. */
    public DeadLetterQuery(String flow, String error, Instant failedBefore) {
        this(flow, error, failedBefore, null);
    }

    /** Whether the query names kinds of its own. */
    public boolean namesKinds() {
        return kinds != null;
    }

    /** The same query for every kind. */
    public DeadLetterQuery anyKind() {
        return new DeadLetterQuery(flow, error, failedBefore, null, rule);
    }

    public boolean matches(DeadLetter letter) {
        return (flow == null || flow.equals(letter.flow()))
                && (error == null || error.isEmpty() || letter.errorContains(error))
                && (failedBefore == null || letter.failedAt().isBefore(failedBefore))
                && (kinds == null || kinds.contains(letter.kind()))
                && (rule == null || letter.rules().contains(rule));
    }
}

package io.hookrail.reconcile;

import java.util.Locale;

/** Where an accepted event ended in one flow, as the reconciliation finds it. */
enum Accounting {

    COMPLETED,
    COMPENSATED,
    /** Waiting for an approver's decision. */
    HELD,
    /** An approver rejected it, or its approval expired. */
    REJECTED,
    /** The policy denied it. */
    DENIED,
    DEAD_LETTERED,
    /** On the flow's quarantine queue: it failed its data-quality rules before the run began (ADR 13). */
    QUARANTINED,
    /** Skipped: its flow key (business id and operation) was already done. */
    DUPLICATE,
    /** On the flow's queue, or its saga attempt is running or compensating. */
    IN_FLIGHT,
    /** No flow consumes its type: nothing was due. */
    NO_FLOW,
    /** None of the above: the event was accepted and nothing shows where it went. */
    UNACCOUNTED;

    /** The name in the report: {@code dead_lettered}, {@code in_flight}... */
    String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The bucket a flow's timeline outcome names, if it is an end ({@code consumed} or {@code retry} are not). */
    static Accounting ofOutcome(String outcome) {
        if (outcome == null) {
            return null;
        }
        return switch (outcome) {
            case "completed" -> COMPLETED;
            case "compensated" -> COMPENSATED;
            case "held" -> HELD;
            case "rejected", "expired" -> REJECTED;
            case "denied" -> DENIED;
            case "dead_lettered" -> DEAD_LETTERED;
            case "quarantined" -> QUARANTINED;
            case "duplicate" -> DUPLICATE;
            default -> null;
        };
    }
}

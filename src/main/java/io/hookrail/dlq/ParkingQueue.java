package io.hookrail.dlq;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A family of queues, one per flow, where messages wait for a person: the dead letters on {@code DLQ.<flow>} and the
 * quarantined events on {@code QUARANTINE.<flow>} (ADR 13). Both hold the original message plus the
 * {@link DeadLetters} properties, and both are browsed and replayed by a {@link DeadLetterStore} of their own.
 *
 * @param prefix            the queues' name before the flow: {@code DLQ.}
 * @param noun              what one message is called in answers: {@code dead letter}
 * @param problemType       the stem of the API's problem types: {@code dead-letter} (-not-found, -not-replayable)
 * @param auditAction       the audit action of a replay: {@code dlq.replay}
 * @param replayedByDefault the kinds a bulk replay naming none replays
 */
public record ParkingQueue(String prefix, String noun, String problemType, String auditAction,
                           Set<DeadLetterKind> replayedByDefault) {

    /** The dead-letter queues, {@code DLQ.<flow>}. */
    public static final ParkingQueue DEAD_LETTERS = new ParkingQueue(DeadLetters.QUEUE_PREFIX, "dead letter",
            "dead-letter", "dlq.replay", DeadLetterKind.REPLAYED_BY_DEFAULT);
    /** The quarantine queues, {@code QUARANTINE.<flow>}: events that failed their data-quality rules. */
    public static final ParkingQueue QUARANTINE = new ParkingQueue("QUARANTINE.", "quarantined event",
            "quarantined-event", "quarantine.replay", Set.copyOf(EnumSet.of(DeadLetterKind.QUARANTINED)));

    private static final List<ParkingQueue> ALL = List.of(DEAD_LETTERS, QUARANTINE);

    public ParkingQueue {
        replayedByDefault = Set.copyOf(replayedByDefault);
    }

    /** The queue of a flow: {@code DLQ.refund}. */
    public String queue(String flow) {
        return prefix + flow;
    }

    /** Whether the queue is a parking queue of any family (so never a replay's origin). */
    static boolean isParking(String queue) {
        return ALL.stream().anyMatch(parking -> queue.startsWith(parking.prefix));
    }

    /** The flow a parking queue is for, from its name; null when it is none. */
    static String flowOf(String queue) {
        return ALL.stream().filter(parking -> queue.startsWith(parking.prefix)).findFirst()
                .map(parking -> queue.substring(parking.prefix.length())).orElse(null);
    }
}

package io.hookrail.dlq;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.hookrail.ops.AdminRequests;

/**
 * What a dead letter is, as {@link DeadLetters#KIND} says: a run that failed, a compensation that gave up, or a
 * message that can never succeed; or, on a quarantine queue, an event its data-quality rules stopped.
 */
public enum DeadLetterKind {

    /** A flow run that failed after its retries: replaying runs the flow again, as a new run. */
    FAILED_RUN("failed-run"),
    /** A saga compensation that gave up: a replay finishes the compensation instead of running the flow again. */
    FAILED_COMPENSATION("failed-compensation"),
    /** A message that can never succeed (not a CloudEvent, or against its data contract): replaying cannot help. */
    POISON("poison"),
    /**
     * An event that failed its type's data-quality rules, parked on {@code QUARANTINE.<flow>} before its run began
     * (ADR 13): replaying checks the rules again.
     */
    QUARANTINED("quarantined");

    /** The kinds a message on a {@code DLQ.<flow>} queue has: all but quarantined. */
    public static final Set<DeadLetterKind> OF_DEAD_LETTERS = Set.copyOf(EnumSet.of(FAILED_RUN, FAILED_COMPENSATION,
            POISON));
    /** What a bulk replay that names no kind replays: everything but poison. */
    public static final Set<DeadLetterKind> REPLAYED_BY_DEFAULT = Set.copyOf(EnumSet.of(FAILED_RUN, FAILED_COMPENSATION));

    private final String value;

    DeadLetterKind(String value) {
        this.value = value;
    }

    /** The value of the JMS property and of the API: {@code failed-run}, {@code failed-compensation}, {@code poison}. */
    public String value() {
        return value;
    }

    /** The kind with this value (exactly, ignoring case and surrounding blanks), if it is one. */
    public static Optional<DeadLetterKind> of(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(kind -> kind.value.equals(wanted)).findFirst();
    }

    /**
     * The kinds a comma-separated list names, e.g. {@code failed-run,poison}; null when it names none (null or blank).
     *
     * @throws IllegalArgumentException naming the allowed values when one is not a kind
     */
    public static Set<DeadLetterKind> parseList(String values) {
        if (values == null || values.isBlank()) {
            return null;
        }
        Set<DeadLetterKind> kinds = EnumSet.noneOf(DeadLetterKind.class);
        for (String value : values.split(",", -1)) {
            kinds.add(of(value).orElseThrow(() -> new IllegalArgumentException(notAKind(value))));
        }
        return Set.copyOf(kinds);
    }

    /** The refusal of a value that is no kind, naming the allowed ones. */
    static String notAKind(String value) {
        return "kind must be one of " + allowed() + " (several comma-separated), not '"
                + AdminRequests.printable(value == null ? "" : value.trim()) + "'";
    }

    /** {@code failed-run, failed-compensation, poison, quarantined}. */
    public static String allowed() {
        return Arrays.stream(values()).map(DeadLetterKind::value).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return value;
    }
}

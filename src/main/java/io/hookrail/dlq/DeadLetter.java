package io.hookrail.dlq;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.ops.HttpAnswers;

/**
 * One dead letter as browsed on its {@code DLQ.<flow>} queue: its JMS message id, the queue, and the failure
 * described by the {@link DeadLetters} properties.
 *
 * @param poison             {@link DeadLetters#POISON}, or the kind is poison
 * @param failedCompensation {@link DeadLetters#FAILED_COMPENSATION}, or the kind is failed-compensation
 * @param kind               {@link DeadLetters#KIND}; for a dead letter written without it, read from the two flags
 * @param stepsDone          {@link DeadLetters#STEPS_DONE} as a list, in the order they were done; empty when none
 * @param rules              {@link DeadLetters#RULES} as a list: the data-quality rules a quarantined event failed
 * @param failedAt when it last failed: {@link DeadLetters#LAST_FAILURE_AT}, or the message's JMS timestamp when that
 *                 is missing or unreadable; the list is ordered and {@code olderThan} filtered by it
 */
public record DeadLetter(String id, String queue, String flow, String originQueue, String eventId, String eventType,
                         String correlationId, String exception, String error, Integer attempts,
                         String firstFailureAt, String lastFailureAt, boolean poison, boolean failedCompensation,
                         DeadLetterKind kind, List<String> stepsDone, List<String> rules, int run, Instant failedAt) {

    public DeadLetter {
        stepsDone = stepsDone == null ? List.of() : List.copyOf(stepsDone);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Reads a browsed message. */
    public static DeadLetter of(Message message) throws JMSException {
        String queue = message.getJMSDestination() instanceof Queue q ? q.getQueueName() : null;
        String flow = string(message, DeadLetters.FLOW);
        if (flow == null && queue != null) {
            flow = ParkingQueue.flowOf(queue);
        }
        String lastFailureAt = string(message, DeadLetters.LAST_FAILURE_AT);
        Instant failedAt = instant(lastFailureAt);
        if (failedAt == null) {
            failedAt = Instant.ofEpochMilli(message.getJMSTimestamp());
        }
        Integer run = integer(message, DeadLetters.RUN);
        DeadLetterKind kind = kindOf(message);
        return new DeadLetter(message.getJMSMessageID(), queue, flow, string(message, DeadLetters.ORIGIN_QUEUE),
                string(message, EventTopics.EVENT_ID_HEADER), string(message, EventTopics.EVENT_TYPE_HEADER),
                string(message, EventTopics.CORRELATION_ID_HEADER), string(message, DeadLetters.EXCEPTION),
                string(message, DeadLetters.ERROR), integer(message, DeadLetters.ATTEMPTS),
                string(message, DeadLetters.FIRST_FAILURE_AT), lastFailureAt,
                flag(message, DeadLetters.POISON) || kind == DeadLetterKind.POISON,
                flag(message, DeadLetters.FAILED_COMPENSATION) || kind == DeadLetterKind.FAILED_COMPENSATION,
                kind, steps(string(message, DeadLetters.STEPS_DONE)), steps(string(message, DeadLetters.RULES)),
                run == null ? 1 : run, failedAt);
    }

    /**
     * The kind of a dead letter: its {@link DeadLetters#KIND}; else (written before there was one, or unreadable)
     * poison when {@link DeadLetters#POISON} says so, failed-compensation when {@link DeadLetters#FAILED_COMPENSATION}
     * does, a failed run otherwise, as {@link DeadLetterWriter} decides.
     */
    static DeadLetterKind kindOf(Message message) throws JMSException {
        Optional<DeadLetterKind> written = DeadLetterKind.of(string(message, DeadLetters.KIND));
        if (written.isPresent()) {
            return written.get();
        }
        return DeadLetterWriter.kind(flag(message, DeadLetters.POISON), flag(message, DeadLetters.FAILED_COMPENSATION));
    }

    /** {@code "invoice.create, payment.capture"} as its step (or rule) names, blanks dropped. */
    static List<String> steps(String stepsDone) {
        if (stepsDone == null || stepsDone.isBlank()) {
            return List.of();
        }
        return Arrays.stream(stepsDone.split(",")).map(String::trim).filter(step -> !step.isEmpty()).toList();
    }

    /** Whether the failure message or the exception class contains the text, ignoring case. */
    public boolean errorContains(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return (error != null && error.toLowerCase(Locale.ROOT).contains(wanted))
                || (exception != null && exception.toLowerCase(Locale.ROOT).contains(wanted));
    }

    /** The item of {@code GET /api/dlq}; a quarantined event's also names its failed {@code rules}. */
    public ObjectNode toJson() {
        ObjectNode item = HttpAnswers.MAPPER.createObjectNode()
                .put("id", id)
                .put("flow", flow)
                .put("eventId", eventId)
                .put("eventType", eventType)
                .put("correlationId", correlationId)
                .put("exception", exception)
                .put("error", error);
        if (attempts == null) {
            item.putNull("attempts");
        } else {
            item.put("attempts", attempts.intValue());
        }
        item.put("firstFailureAt", firstFailureAt)
                .put("lastFailureAt", lastFailureAt)
                .put("poison", poison)
                .put("failedCompensation", failedCompensation)
                .put("kind", kind.value())
                .put("run", run)
                .set("stepsDone", array(stepsDone));
        if (kind == DeadLetterKind.QUARANTINED) {
            item.set("rules", array(rules));
        }
        return item;
    }

    /** The single-letter view, {@code GET /api/dlq/{id}}: the list's item, plus where it is and where it goes back. */
    public ObjectNode toDetailJson() {
        return toJson().put("queue", queue).put("originQueue", originQueue);
    }

    private static ArrayNode array(List<String> values) {
        ArrayNode array = HttpAnswers.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    static String string(Message message, String name) throws JMSException {
        Object value = message.getObjectProperty(name);
        return value == null ? null : value.toString();
    }

    static Integer integer(Message message, String name) throws JMSException {
        Object value = message.getObjectProperty(name);
        if (value instanceof Number number) {
            return number.intValue();
        }
        if (value != null) {
            try {
                return Integer.valueOf(value.toString().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean flag(Message message, String name) throws JMSException {
        Object value = message.getObjectProperty(name);
        return value instanceof Boolean b ? b : value != null && "true".equalsIgnoreCase(value.toString().trim());
    }

    private static Instant instant(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}

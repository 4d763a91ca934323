package io.hookrail.dlq;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.ops.HttpAnswers;

/**
 * One dead letter as browsed on its {@code DLQ.<flow>} queue: its JMS message id, the queue, and the failure
 * described by the {@link DeadLetters} properties.
 *
 * @param failedAt when it last failed: {@link DeadLetters#LAST_FAILURE_AT}, or the message's JMS timestamp when that
 *                 is missing or unreadable; the list is ordered and {@code olderThan} filtered by it
 */
public record DeadLetter(String id, String queue, String flow, String originQueue, String eventId, String eventType,
                         String correlationId, String exception, String error, Integer attempts,
                         String firstFailureAt, String lastFailureAt, boolean poison, boolean failedCompensation,
                         int run, Instant failedAt) {

    /** Reads a browsed message. */
    public static DeadLetter of(Message message) throws JMSException {
        String queue = message.getJMSDestination() instanceof Queue q ? q.getQueueName() : null;
        String flow = string(message, DeadLetters.FLOW);
        if (flow == null && queue != null && queue.startsWith(DeadLetters.QUEUE_PREFIX)) {
            flow = queue.substring(DeadLetters.QUEUE_PREFIX.length());
        }
        String lastFailureAt = string(message, DeadLetters.LAST_FAILURE_AT);
        Instant failedAt = instant(lastFailureAt);
        if (failedAt == null) {
            failedAt = Instant.ofEpochMilli(message.getJMSTimestamp());
        }
        Integer run = integer(message, DeadLetters.RUN);
        return new DeadLetter(message.getJMSMessageID(), queue, flow, string(message, DeadLetters.ORIGIN_QUEUE),
                string(message, EventTopics.EVENT_ID_HEADER), string(message, EventTopics.EVENT_TYPE_HEADER),
                string(message, EventTopics.CORRELATION_ID_HEADER), string(message, DeadLetters.EXCEPTION),
                string(message, DeadLetters.ERROR), integer(message, DeadLetters.ATTEMPTS),
                string(message, DeadLetters.FIRST_FAILURE_AT), lastFailureAt,
                flag(message, DeadLetters.POISON), flag(message, DeadLetters.FAILED_COMPENSATION),
                run == null ? 1 : run, failedAt);
    }

    /** Whether the failure message or the exception class contains the text, ignoring case. */
    public boolean errorContains(String text) {
        String wanted = text.toLowerCase(Locale.ROOT);
        return (error != null && error.toLowerCase(Locale.ROOT).contains(wanted))
                || (exception != null && exception.toLowerCase(Locale.ROOT).contains(wanted));
    }

    /** The item of {@code GET /api/dlq}. */
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
        return item.put("firstFailureAt", firstFailureAt)
                .put("lastFailureAt", lastFailureAt)
                .put("poison", poison)
                .put("failedCompensation", failedCompensation)
                .put("run", run);
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

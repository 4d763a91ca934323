package io.hookrail.dlq;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.flow.FlowContext;
import io.hookrail.flow.PoisonEventException;
import org.apache.camel.Exchange;
import org.apache.camel.component.jms.JmsEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes a failed flow run on the message about to be dead-lettered, in the properties of {@link DeadLetters}:
 * what failed, how often, since when, in which flow, its {@linkplain DeadLetterKind kind} (a failed run, a failed
 * compensation or poison) and the steps the run had done.
 * <p>
 * It also serves as the {@code onExceptionOccurred} processor of flow steps, which count attempts and failure times
 * while Camel redelivers.
 */
public final class DeadLetterWriter {

    /** Exchange properties kept while a step is retried. */
    static final String ATTEMPTS_SO_FAR = "hookrailAttemptsSoFar";
    static final String FIRST_FAILURE = "hookrailFirstFailure";
    static final String LAST_FAILURE = "hookrailLastFailure";
    /** Exchange property set to true by a compensation that gave up. */
    public static final String COMPENSATION_FAILED = "hookrailCompensationFailed";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final Clock clock;

    public DeadLetterWriter(Clock clock) {
        this.clock = clock;
    }

    /** Counts one failed attempt of a step. */
    public void failureOccurred(Exchange exchange) {
        Instant now = clock.instant();
        exchange.setProperty(ATTEMPTS_SO_FAR, exchange.getProperty(ATTEMPTS_SO_FAR, 0, Integer.class) + 1);
        if (exchange.getProperty(FIRST_FAILURE) == null) {
            exchange.setProperty(FIRST_FAILURE, now.toString());
        }
        exchange.setProperty(LAST_FAILURE, now.toString());
    }

    /** Sets the dead-letter properties on the message; the route then sends it to {@code DLQ.<flow>}. */
    public void describe(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        String now = clock.instant().toString();
        var message = exchange.getMessage();
        locate(exchange);
        message.setHeader(DeadLetters.EXCEPTION, failure == null ? "" : failure.getClass().getName());
        message.setHeader(DeadLetters.ERROR, failure == null ? "" : String.valueOf(failure.getMessage()));
        message.setHeader(DeadLetters.ATTEMPTS, Math.max(1, exchange.getProperty(ATTEMPTS_SO_FAR, 0, Integer.class)));
        message.setHeader(DeadLetters.FIRST_FAILURE_AT, exchange.getProperty(FIRST_FAILURE, now, String.class));
        message.setHeader(DeadLetters.LAST_FAILURE_AT, exchange.getProperty(LAST_FAILURE, now, String.class));
        boolean poison = failure instanceof PoisonEventException;
        boolean compensationFailed = exchange.getProperty(COMPENSATION_FAILED, false, Boolean.class);
        message.setHeader(DeadLetters.KIND, kind(poison, compensationFailed).value());
        message.setHeader(DeadLetters.POISON, String.valueOf(poison));
        message.setHeader(DeadLetters.FAILED_COMPENSATION, String.valueOf(compensationFailed));
        message.setHeader(DeadLetters.STEPS_DONE, stepsDone(exchange.getProperty(DeadLetters.STEPS_DONE)));
        LOG.warn("Dead-lettering {} event {} of flow {} as {}: {}", message.getHeader(EventTopics.EVENT_TYPE_HEADER),
                message.getHeader(EventTopics.EVENT_ID_HEADER), flow, message.getHeader(DeadLetters.KIND),
                message.getHeader(DeadLetters.ERROR));
    }

    /**
     * Says on the message which event of which run of which flow it is, and the queue a replay puts it back on:
     * what every parking queue's message carries (a dead letter, a quarantined event).
     */
    public static void locate(Exchange exchange) {
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        var message = exchange.getMessage();
        // the flow's own reading of the event, where it got that far; else what the message says of itself
        JsonNode event = exchange.getVariable(FlowContext.EVENT_VARIABLE, JsonNode.class);
        if (event != null) {
            message.setHeader(EventTopics.EVENT_ID_HEADER, event.path("id").asText());
            message.setHeader(EventTopics.EVENT_TYPE_HEADER, event.path("type").asText());
            message.setHeader(EventTopics.CORRELATION_ID_HEADER, event.path("correlationid").asText());
        }
        message.setHeader(DeadLetters.FLOW, flow);
        // the queue the message came from; a compensation's exchange comes from no queue, so its flow's queue
        message.setHeader(DeadLetters.ORIGIN_QUEUE, exchange.getFromEndpoint() instanceof JmsEndpoint queue
                ? queue.getDestinationName()
                : EventTopics.flowQueue(flow, message.getHeader(EventTopics.EVENT_TYPE_HEADER, String.class)));
        message.setHeader(DeadLetters.RUN, exchange.getProperty(FlowContext.RUN, 1, Integer.class));
    }

    /** Poison first (it can never succeed, whatever else happened), then a compensation that gave up. */
    static DeadLetterKind kind(boolean poison, boolean compensationFailed) {
        if (poison) {
            return DeadLetterKind.POISON;
        }
        return compensationFailed ? DeadLetterKind.FAILED_COMPENSATION : DeadLetterKind.FAILED_RUN;
    }

    /**
     * The flow engine's {@value DeadLetters#STEPS_DONE} exchange property as the JMS property: the comma-separated
     * text as it is, empty when absent; a collection of step names (should one come) is joined the same way.
     */
    static String stepsDone(Object property) {
        if (property == null) {
            return "";
        }
        if (property instanceof Collection<?> steps) {
            return steps.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return property.toString();
    }
}

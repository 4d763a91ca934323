package io.hookrail.quality;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DeadLetterKind;
import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.dlq.DeadLetters;
import io.hookrail.dlq.ParkingQueue;
import io.hookrail.flow.FlowContext;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Describes an event that failed its data-quality rules on the message about to go to {@code QUARANTINE.<flow>}, in
 * the properties of a dead letter ({@link DeadLetters}; kind {@code quarantined}, its reasons as the error, the
 * failed rules in {@value DeadLetters#RULES}), so the DLQ's store browses and replays it; then counts it and puts it
 * on the event's timeline.
 */
public final class Quarantine {

    /** The registry name of the quarantine's replays (a {@link io.hookrail.dlq.DeadLetterReplays}). */
    public static final String REPLAYS_BEAN = "quarantineReplays";
    /** Where the flow-entry template sends a failing event. */
    public static final String URI = "direct:quarantine";

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final HookrailMetrics metrics;
    private final EventTimeline timeline;
    private final Clock clock;

    public Quarantine(HookrailMetrics metrics, EventTimeline timeline, Clock clock) {
        this.metrics = metrics;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** The queue of a flow: {@code QUARANTINE.refund}. */
    public static String queue(String flow) {
        return ParkingQueue.QUARANTINE.queue(flow);
    }

    /** Sets the properties of the quarantined message. */
    public void describe(Exchange exchange) {
        DeadLetterWriter.locate(exchange);
        List<DataQualityFailure> failures = failures(exchange);
        String now = clock.instant().toString();
        var message = exchange.getMessage();
        message.setHeader(DeadLetters.KIND, DeadLetterKind.QUARANTINED.value());
        message.setHeader(DeadLetters.RULES, failures.stream().map(DataQualityFailure::rule)
                .collect(Collectors.joining(",")));
        message.setHeader(DeadLetters.ERROR, reasons(failures));
        message.setHeader(DeadLetters.EXCEPTION, "");
        message.setHeader(DeadLetters.ATTEMPTS, 1);
        message.setHeader(DeadLetters.FIRST_FAILURE_AT, now);
        message.setHeader(DeadLetters.LAST_FAILURE_AT, now);
        message.setHeader(DeadLetters.POISON, "false");
        message.setHeader(DeadLetters.FAILED_COMPENSATION, "false");
        message.setHeader(DeadLetters.STEPS_DONE, "");
    }

    /** The event is on its quarantine queue: counted per failed rule, a flow outcome, on its timeline. */
    public void quarantined(Exchange exchange) {
        List<DataQualityFailure> failures = failures(exchange);
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        failures.forEach(failure -> metrics.quarantined(flow, failure.rule()));
        metrics.flowOutcome(flow, exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class), "quarantined");
        timeline.record(exchange, "outcome", null, "quarantined", null, reasons(failures));
        LOG.warn("Quarantined {} event {} of flow {} on {}: {}",
                exchange.getMessage().getHeader(EventTopics.EVENT_TYPE_HEADER),
                exchange.getProperty(FlowContext.EVENT_ID), flow, queue(flow), reasons(failures));
    }

    /** {@code required:data.reason: data.reason is missing or blank; known:data.orderId: ...}. */
    static String reasons(List<DataQualityFailure> failures) {
        return failures.stream().map(DataQualityFailure::toString).collect(Collectors.joining("; "));
    }

    @SuppressWarnings("unchecked")
    private static List<DataQualityFailure> failures(Exchange exchange) {
        return exchange.getProperty(DataQuality.FAILURES, List.of(), List.class);
    }
}

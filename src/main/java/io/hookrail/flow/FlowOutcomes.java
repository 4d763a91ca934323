package io.hookrail.flow;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.probe.Synthetic;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.Exchange;

/**
 * How flow runs end, counted in the metrics (by flow and flow version) and written on the event's timeline: every
 * flow's entry calls it when the run is consumed and when it ends, the dead letter channel on each redelivery and
 * on the dead letter, the policy gate when it holds an event, the last compensation of a saga attempt.
 * <p>
 * A completed run of a flow that declares a business KPI ({@value #KPI} property, set by the {@code flow-entry}
 * template) also counts the KPI with the event's amount.
 */
public final class FlowOutcomes {

    /** The registry name of the bean. */
    public static final String BEAN = "flowOutcomes";
    /** Exchange property: the business KPI a completed run counts (e.g. {@code orders_fulfilled}), or {@code none}. */
    public static final String KPI = "flowKpi";
    /** Exchange property a step may set to end the run with another outcome than {@code completed}. */
    public static final String OUTCOME = "flowOutcome";
    private static final String NO_KPI = "none";

    private final HookrailMetrics metrics;
    private final EventTimeline timeline;

    public FlowOutcomes(HookrailMetrics metrics, EventTimeline timeline) {
        this.metrics = metrics;
        this.timeline = timeline;
    }

    /** The flow has read the event from its queue. */
    public void consumed(Exchange exchange) {
        record(exchange, "consumed", "run " + exchange.getProperty(FlowContext.RUN, 1, Integer.class), null);
    }

    /** The run went through its steps, or was skipped as a duplicate of its business key. */
    public void finished(Exchange exchange) {
        if (exchange.getProperty(Exchange.DUPLICATE_MESSAGE, false, Boolean.class)) {
            end(exchange, "duplicate", "business key " + exchange.getProperty(FlowContext.KEY, String.class)
                    + " already done");
            return;
        }
        String outcome = exchange.getProperty(OUTCOME, "completed", String.class);
        end(exchange, outcome, null);
        String kpi = exchange.getProperty(KPI, NO_KPI, String.class);
        // a synthetic probe's run moves no business number
        if ("completed".equals(outcome) && !NO_KPI.equals(kpi)
                && !Synthetic.isSynthetic(exchange.getProperty(FlowContext.BUSINESS_ID, String.class))) {
            JsonNode data = exchange.getVariable(FlowContext.EVENT_VARIABLE, JsonNode.class).path("data");
            metrics.businessEvent(kpi, data.path("amountMinor").canConvertToExactIntegral()
                    ? data.get("amountMinor").asLong() : null, data.path("currency").textValue());
        }
    }

    /** The policy holds the event for an approver; the run ends here. */
    public void held(Exchange exchange, String approvalId) {
        end(exchange, "held", "approval " + approvalId);
    }

    /**
     * The effects of a saga attempt were undone. Counted as an outcome; the run is then dead-lettered (or, replayed
     * as a failed compensation, ends), and a later replay or copy of the event starts a fresh attempt.
     */
    public void compensated(Exchange exchange) {
        metrics.flowOutcome(flow(exchange), exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class),
                "compensated");
        record(exchange, "compensated", "attempt " + exchange.getProperty(FlowContext.ATTEMPT, 1, Integer.class), null);
    }

    /** A replayed failed compensation was finished: the run ends compensated, with no dead letter. */
    public void endedCompensated(Exchange exchange) {
        end(exchange, "compensated", "attempt " + exchange.getProperty(FlowContext.ATTEMPT, 1, Integer.class)
                + " compensated on replay");
    }

    /**
     * The dead letter channel retries the run (or a compensation) once more. The failed step's name goes, so the
     * log lines of the retry do not carry it before the step runs again.
     */
    public void redelivering(Exchange exchange) {
        if (FlowShadows.isShadow(exchange)) {
            exchange.removeProperty(JournaledStep.STEP);
            return;
        }
        metrics.redelivery(flow(exchange), exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class));
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        record(exchange, "retry", "attempt " + (exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0,
                Integer.class) + 1), failure == null ? null : failure.getMessage());
        exchange.removeProperty(JournaledStep.STEP);
    }

    /** The run went to the flow's dead letter queue. */
    public void deadLettered(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        end(exchange, "dead_lettered", failure == null ? null : failure.getMessage());
    }

    private void end(Exchange exchange, String outcome, String detail) {
        metrics.flowOutcome(flow(exchange), exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class), outcome);
        record(exchange, "outcome", outcome, detail);
    }

    private void record(Exchange exchange, String kind, String outcome, String detail) {
        timeline.record(exchange, kind, null, outcome, null, detail);
    }

    private static String flow(Exchange exchange) {
        return exchange.getProperty(FlowContext.FLOW, "unknown", String.class);
    }
}

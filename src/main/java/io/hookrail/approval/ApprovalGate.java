package io.hookrail.approval;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.audit.AuditTrail;
import io.hookrail.broker.EventRequester;
import io.hookrail.flow.FlowContext;
import io.hookrail.flow.FlowIdempotencyRepository;
import io.hookrail.flow.FlowOutcomes;
import io.hookrail.flow.FlowShadows;
import io.hookrail.probe.Synthetic;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.policy.OrderFacts;
import io.hookrail.policy.PolicyDecision;
import io.hookrail.policy.PolicyEngine;
import io.hookrail.policy.PolicyFacts;
import io.hookrail.privacy.PersonalData;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flow's policy gate, before any side effect: the policy allows the event, denies it, or holds it for a person.
 * A held event ends its run here (its flow key is released, so the event can run again); the decision, or the
 * expiry, puts it back on the flow's queue, and the gate then finds the decision.
 * <p>
 * An approval covers exactly the data it was asked for: the gate looks up the approval of the flow, the business id
 * and the hash of the event's data ({@link Approval#dataHash}). An event with the same business id and other data
 * (a larger refund) finds none, is judged by the policy afresh and, if held, gets an approval of its own.
 * <p>
 * The approval names whom Hookrail authenticated as asking for the run ({@link EventRequester}), never the event's
 * own {@code requestedBy}, which it keeps as a claim.
 * <p>
 * Sets exchange property {@value #OUTCOME}: {@code allowed}, {@code approved}, {@code denied}, {@code rejected} or
 * {@code expired}, with {@value #REASON} and {@value #DECIDED_BY}; for the last three also
 * {@link FlowOutcomes#OUTCOME}, so the run ends with that outcome (and the flow's note), not as completed.
 */
public final class ApprovalGate {

    public static final String OUTCOME = "policyOutcome";
    public static final String REASON = "policyReason";
    public static final String DECIDED_BY = "decidedBy";
    /**
     * The outcome (both {@value #OUTCOME} and {@link FlowOutcomes#OUTCOME}) of an event whose approval expired
     * undecided. The flow engine releases rather than completes the business key of such a run, so a new event with
     * that business id can run.
     */
    public static final String EXPIRED = "expired";

    private static final String ORDER_PLACED = "order.placed";
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalGate.class);

    private final PolicyEngine policy;
    private final ApprovalStore approvals;
    private final FlowIdempotencyRepository keys;
    private final OrderFacts orders;
    private final AuditTrail audit;
    private final FlowOutcomes outcomes;
    private final EventTimeline timeline;
    private final PersonalData personalData;

    public ApprovalGate(PolicyEngine policy, ApprovalStore approvals, FlowIdempotencyRepository keys, OrderFacts orders,
                        AuditTrail audit, FlowOutcomes outcomes, EventTimeline timeline, PersonalData personalData) {
        this.policy = policy;
        this.approvals = approvals;
        this.keys = keys;
        this.orders = orders;
        this.audit = audit;
        this.outcomes = outcomes;
        this.timeline = timeline;
        this.personalData = personalData;
    }

    public void check(Exchange exchange) throws SQLException {
        if (FlowShadows.isShadow(exchange)) {
            // a shadow run copies its live run's decision; it neither asks an approver nor audits one again
            return;
        }
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        String businessId = exchange.getProperty(FlowContext.BUSINESS_ID, String.class);
        JsonNode event = exchange.getVariable(FlowContext.EVENT_VARIABLE, JsonNode.class);
        JsonNode data = event.get("data");
        String dataHash = Approval.dataHash(data);
        Optional<Approval> held = approvals.findByEvent(flow, businessId, dataHash);
        if (held.isPresent()) {
            decided(exchange, held.get());
            return;
        }
        String type = event.path("type").asText();
        PolicyDecision decision = policy.evaluate(type, data, facts(type, data));
        LOG.info("Policy v{} on {} {}: {}{}", policy.version(), flow, businessId, decision.outcome(),
                decision.isAllowed() ? "" : " by rule " + decision.ruleId());
        String correlationId = exchange.getProperty(FlowContext.CORRELATION_ID, String.class);
        audit.append("policy", "policy." + decision.outcome().name().toLowerCase(Locale.ROOT), flow + "/" + businessId,
                correlationId, auditDetail(event, decision, requester(exchange)));
        timeline.record(event.path("id").asText(), correlationId, "policy", flow, null,
                decision.outcome().name().toLowerCase(Locale.ROOT),
                null, decision.isAllowed() ? "policy v" + policy.version() : decision.ruleId() + ": " + decision.reason());
        switch (decision.outcome()) {
            case ALLOW -> outcome(exchange, "allowed", decision.reason(), null);
            case DENY -> outcome(exchange, "denied", decision.reason(), null);
            // no person is asked to approve a synthetic probe (its business id is reserved, its calls are marked):
            // it takes the approved path, so the probe covers the steps behind the gate
            case REQUIRE_APPROVAL -> {
                if (Synthetic.isSynthetic(businessId)) {
                    outcome(exchange, "allowed", "synthetic probe, not held: " + decision.reason(), null);
                    return;
                }
                // stored as it goes back on the broker: its personal fields encrypted under the active key
                Approval approval = approvals.hold(flow, businessId, dataHash, event.path("id").asText(), type,
                        decision.ruleId(), decision.reason(), text(data, "requestedBy"),
                        data.path("amountMinor").canConvertToLong() ? data.get("amountMinor").asLong() : null,
                        text(data, "currency"), personalData.encryptEvent(event.toString()),
                        exchange.getProperty(FlowContext.RUN, 1, Integer.class), requester(exchange));
                hold(exchange, approval);
            }
            default -> throw new IllegalStateException("unknown policy outcome " + decision.outcome());
        }
    }

    /** An order is remembered for the refunds that will refer to it; anything else is judged with its order's facts. */
    private PolicyFacts facts(String type, JsonNode data) throws SQLException {
        String orderId = text(data, "orderId");
        if (ORDER_PLACED.equals(type)) {
            if (orderId != null && data.path("amountMinor").canConvertToLong() && text(data, "currency") != null) {
                orders.remember(orderId, data.get("amountMinor").asLong(), text(data, "currency"));
            }
            return PolicyFacts.none();
        }
        return orders.of(orderId);
    }

    /** Whom Hookrail authenticated as asking for this run (FlowEntry verified it with the event seal), or null. */
    private static String requester(Exchange exchange) {
        String requester = exchange.getProperty(EventRequester.PROPERTY, String.class);
        return requester == null || requester.isBlank() ? null : requester;
    }

    private Map<String, Object> auditDetail(JsonNode event, PolicyDecision decision, String requester) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("requester", requester);
        detail.put("eventId", event.path("id").asText());
        detail.put("eventType", event.path("type").asText());
        detail.put("policyVersion", policy.version());
        detail.put("outcome", decision.outcome().name());
        detail.put("rule", decision.ruleId());
        detail.put("reason", decision.reason());
        return detail;
    }

    private void decided(Exchange exchange, Approval approval) {
        switch (approval.state()) {
            case APPROVED -> outcome(exchange, "approved", approval.comment(), approval.decidedBy());
            case REJECTED -> outcome(exchange, "rejected", approval.comment(), approval.decidedBy());
            case EXPIRED -> {
                // nobody decided in time: the system's decision, ending the run with its note (no side effect)
                LOG.info("{} {}: approval {} expired undecided at {}", approval.flow(), approval.businessId(),
                        approval.id(), approval.expiresAt());
                outcome(exchange, EXPIRED, "not decided before " + approval.expiresAt(), approval.decidedBy());
            }
            case PENDING -> {
                if (approval.id().equals(exchange.getMessage().getHeader(ApprovalDecisions.APPROVAL_ID_HEADER))) {
                    throw new DecisionNotVisibleException(approval.id());
                }
                hold(exchange, approval);
            }
        }
    }

    private void hold(Exchange exchange, Approval approval) {
        LOG.info("{} {} held for approval {} by rule {}", approval.flow(), approval.businessId(), approval.id(),
                approval.ruleId());
        // the run ends without completing the business key: the decision brings the event back
        keys.remove(exchange.getProperty(FlowContext.KEY, String.class));
        outcomes.held(exchange, approval.id());
        exchange.setRouteStop(true);
    }

    private static void outcome(Exchange exchange, String outcome, String reason, String decidedBy) {
        exchange.setProperty(OUTCOME, outcome);
        if ("denied".equals(outcome) || "rejected".equals(outcome) || EXPIRED.equals(outcome)) {
            exchange.setProperty(FlowOutcomes.OUTCOME, outcome); // the run ends with its note, not fulfilled
        }
        exchange.setProperty(REASON, reason == null ? "" : reason);
        exchange.setProperty(DECIDED_BY, decidedBy == null ? "" : decidedBy);
    }

    private static String text(JsonNode data, String field) {
        return data.path(field).isTextual() ? data.get(field).asText() : null;
    }
}

package io.hookrail.approval;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.audit.AuditTrail;
import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DeadLetters;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ops.logging.PersonalDataMasking;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.privacy.Pseudonyms;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approves or rejects a held event, once, or expires it when nobody decided in time. The decision and the event's
 * return to its flow's queue share one store transaction, with its audit entry, that commits after the broker
 * confirmed the send: a decision (the system's expiry too) is never recorded without its effect and its evidence.
 * <p>
 * Four eyes: an admin user may not approve an approval they requested ({@link Approval#requester()}: they replayed
 * the event that was held). A source's delivery is requested by the source, which no admin user is.
 */
public final class ApprovalDecisions {

    /** JMS property on the event put back on the flow's queue. */
    public static final String APPROVAL_ID_HEADER = "hookrailApprovalId";

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalDecisions.class);

    private static final String SYSTEM = "system";

    private final ApprovalStore approvals;
    private final ProducerTemplate template;
    private final AuditTrail audit;
    private final EventTimeline timeline;
    private final Pseudonyms pseudonyms;

    public ApprovalDecisions(ApprovalStore approvals, ProducerTemplate template, AuditTrail audit,
                             EventTimeline timeline, Pseudonyms pseudonyms) {
        this.approvals = approvals;
        this.template = template;
        this.audit = audit;
        this.timeline = timeline;
        this.pseudonyms = pseudonyms;
    }

    public Approval decide(String id, Approval.State decision, String user, String comment, String correlationId)
            throws ApiProblem, SQLException {
        Approval approval = approvals.find(id).orElseThrow(() -> new ApiProblem(404, "approval-not-found",
                "No such approval", "There is no approval with id " + AdminRequests.printable(id)));
        // the requester Hookrail authenticated (the replaying user), never the event's own requestedBy: a claim
        if (decision == Approval.State.APPROVED && EventRequester.isAdminUser(approval.requester(), user)) {
            throw new ApiProblem(403, "four-eyes", "Four-eyes rule", "User " + user + " requested this approval (by"
                    + " replaying its event) and cannot approve it: another approver must decide it");
        }
        boolean won;
        try (Connection transaction = approvals.dataSource().getConnection()) {
            transaction.setAutoCommit(false);
            won = approvals.decide(transaction, id, decision, user, comment);
            if (won) {
                audit.append(transaction, user, "approval." + decision.name().toLowerCase(Locale.ROOT), id,
                        correlationId, auditDetail(approval, comment));
                resume(approval);
                transaction.commit();
            } else {
                transaction.rollback();
            }
        }
        if (!won) {
            // read after the transaction's connection is back in the pool: racing losers must not hold two each
            Approval now = approvals.find(id).orElseThrow();
            throw new ApiProblem(409, "approval-decided", "Approval already decided",
                    "Approval " + id + " is " + now.state().name().toLowerCase(Locale.ROOT)
                            + (now.decidedBy() == null ? "" : " by " + now.decidedBy()));
        }
        LOG.info("Approval {} of {} {} {} by {}", id, approval.flow(), approval.businessId(),
                decision.name().toLowerCase(Locale.ROOT), user);
        timeline.record(approval.eventId(), correlationOf(approval), "approval", approval.flow(), null,
                decision.name().toLowerCase(Locale.ROOT), null, "by " + user + (comment == null ? "" : ": " + comment));
        return approvals.find(id).orElseThrow();
    }

    /**
     * Expires the pending approvals past their time, each as a decision by the system: its {@code EXPIRED} state, its
     * audit entry and the held event's return to its flow's queue commit together (the gate then ends the run as
     * {@code expired}, with its note). Returns how many expired; one that a person decided meanwhile is left alone.
     */
    public int expireOverdue() throws SQLException {
        int expired = 0;
        for (Approval approval : approvals.overdue()) {
            boolean won;
            try (Connection transaction = approvals.dataSource().getConnection()) {
                transaction.setAutoCommit(false);
                try {
                    won = approvals.decide(transaction, approval.id(), Approval.State.EXPIRED, SYSTEM, null);
                    if (won) {
                        Map<String, Object> detail = auditDetail(approval, null);
                        detail.put("expiresAt", approval.expiresAt().toString());
                        audit.append(transaction, SYSTEM, "approval.expired", approval.id(), correlationOf(approval),
                                detail);
                        resume(approval);
                        transaction.commit();
                    } else {
                        transaction.rollback();
                    }
                } catch (SQLException | RuntimeException e) {
                    try {
                        transaction.rollback(); // still pending: the next check tries again
                    } catch (SQLException rollback) {
                        e.addSuppressed(rollback);
                    }
                    throw e;
                }
            }
            if (won) {
                expired++;
                LOG.info("Approval {} of {} {} expired undecided at {}", approval.id(), approval.flow(),
                        approval.businessId(), approval.expiresAt());
                timeline.record(approval.eventId(), correlationOf(approval), "approval", approval.flow(), null,
                        "expired", null, "not decided before " + approval.expiresAt());
            }
        }
        return expired;
    }

    /** The correlation id the held event carries. */
    private static String correlationOf(Approval approval) {
        try {
            return HttpAnswers.MAPPER.readTree(approval.event()).path("correlationid").asText(null);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The audit chain holds no personal data: the authenticated requester (an account, not a person's name), the
     * event's claimed requester as its pseudonym, the comment (free text) with any personal data in it masked.
     */
    private Map<String, Object> auditDetail(Approval approval, String comment) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("flow", approval.flow());
        detail.put("businessId", approval.businessId());
        detail.put("eventId", approval.eventId());
        detail.put("rule", approval.ruleId());
        detail.put("requester", approval.requester());
        detail.put("requestedBy", pseudonyms.of(approval.requestedBy()));
        detail.put("comment", comment == null ? null : PersonalDataMasking.mask(comment));
        return detail;
    }

    /** Puts the held event back on its flow's queue, where the flow's gate finds the decision (or the expiry). */
    private void resume(Approval approval) {
        String queue = EventTopics.flowQueue(approval.flow(), approval.eventType());
        Exchange sent = template.send("jms:queue:" + queue + "?deliveryPersistent=true", ExchangePattern.InOnly, exchange -> {
            // sealed for the approval's requester (an approval held before it was stored has none: "")
            exchange.setProperty(EventRequester.PROPERTY, approval.requester() == null ? "" : approval.requester());
            JsonNode event = HttpAnswers.MAPPER.readTree(approval.event());
            exchange.getMessage().setBody(approval.event());
            exchange.getMessage().setHeader(EventTopics.EVENT_ID_HEADER, approval.eventId());
            exchange.getMessage().setHeader(EventTopics.EVENT_TYPE_HEADER, approval.eventType());
            exchange.getMessage().setHeader(EventTopics.CORRELATION_ID_HEADER, event.path("correlationid").asText());
            exchange.getMessage().setHeader(DeadLetters.RUN, approval.run());
            exchange.getMessage().setHeader(APPROVAL_ID_HEADER, approval.id());
        });
        if (sent.getException() != null) {
            throw new IllegalStateException("the broker did not take the decided event", sent.getException());
        }
    }
}

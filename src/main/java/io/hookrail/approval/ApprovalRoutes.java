package io.hookrail.approval;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.audit.AuditTrail;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.privacy.PersonalData;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The approvals API: {@code GET /api/approvals} (any role), {@code POST /api/approvals/{id}/approve} and
 * {@code /reject} (approver), and the expiry of approvals nobody decided in time.
 */
public class ApprovalRoutes extends RouteBuilder {

    private static final String PATH_PREFIX = "/api/approvals/";
    private static final Set<String> LIST_PARAMETERS = Set.of("state", "flow", "olderThan");
    private static final int MAX_COMMENT = 2000;

    @BeanInject
    private AdminAccess access;
    @BeanInject
    private ApprovalStore approvals;
    @BeanInject(AuditTrail.BEAN)
    private AuditTrail audit;
    @BeanInject(EventTimeline.BEAN)
    private EventTimeline timeline;
    @BeanInject(PersonalData.BEAN)
    private PersonalData personalData;

    private final Clock clock = Clock.systemUTC();

    @Override
    public void configure() {
        ApprovalDecisions decisions = new ApprovalDecisions(approvals, getContext().createProducerTemplate(), audit,
                timeline, personalData.pseudonyms());

        from("platform-http:/api/approvals?httpMethodRestrict=GET")
                .routeId("approvals-list")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/approvals/{id}/approve?httpMethodRestrict=POST")
                .routeId("approvals-approve")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.APPROVER))
                .process(exchange -> decide(exchange, decisions, Approval.State.APPROVED, "/approve"));

        from("platform-http:/api/approvals/{id}/reject?httpMethodRestrict=POST")
                .routeId("approvals-reject")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.APPROVER))
                .process(exchange -> decide(exchange, decisions, Approval.State.REJECTED, "/reject"));

        // singleton (ADR 9): one instance at a time expires approvals
        from("master:approval-expiry:timer:approval-expiry?delay={{hookrail.approval.expiryCheckMillis}}"
                + "&period={{hookrail.approval.expiryCheckMillis}}")
                .routeId("approval-expiry")
                .process(exchange -> {
                    int expired = decisions.expireOverdue();
                    if (expired > 0) {
                        log.warn("{} approvals expired undecided", expired);
                    }
                });
    }

    void list(Exchange exchange) throws Exception {
        Map<String, String> query = AdminRequests.query(exchange, LIST_PARAMETERS);
        String state = AdminRequests.blankToNull(query.get("state"));
        if (state != null) {
            try {
                state = Approval.State.valueOf(state.trim().toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("state must be pending, approved, rejected or expired: "
                        + AdminRequests.printable(state));
            }
        }
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        approvals.list(state, AdminRequests.blankToNull(query.get("flow")), AdminRequests.olderThan(query, clock))
                .forEach(approval -> items.add(forApprover(approval)));
        answer.put("total", items.size());
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    void decide(Exchange exchange, ApprovalDecisions decisions, Approval.State decision, String suffix) throws Exception {
        String id = AdminRequests.pathSegment(exchange, PATH_PREFIX, suffix);
        String comment = comment(exchange.getMessage().getBody(String.class));
        Approval decided = decisions.decide(id, decision, exchange.getProperty(AdminAccess.USER_PROPERTY, String.class),
                comment, exchange.getProperty(CorrelationIds.PROPERTY, String.class));
        HttpAnswers.json(exchange, 200, forApprover(decided).toString());
    }

    /** The approval as its approver reads it: the held event's data decrypted (it is stored encrypted). */
    private ObjectNode forApprover(Approval approval) {
        ObjectNode json = approval.toJson();
        try {
            json.set("data", personalData.decryptEvent(approval.event()).get("data"));
        } catch (java.io.IOException e) {
            json.putNull("data");
        }
        return json;
    }

    private static String comment(String body) throws ApiProblem {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode request;
        try {
            request = HttpAnswers.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
        JsonNode comment = request.path("comment");
        if (!comment.isMissingNode() && !comment.isNull() && !comment.isTextual()) {
            throw ApiProblem.badRequest("comment must be a string");
        }
        String text = comment.isTextual() ? comment.asText() : null;
        if (text != null && text.length() > MAX_COMMENT) {
            throw ApiProblem.badRequest("comment is longer than " + MAX_COMMENT + " characters");
        }
        return text;
    }
}

package io.hookrail.approval;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.approval.ApprovalEvidence.awaitApproval;
import static io.hookrail.approval.ApprovalEvidence.awaitOutcomeAfterHold;
import static io.hookrail.approval.ApprovalEvidence.awaitStep;
import static io.hookrail.approval.ApprovalEvidence.ledgerKeys;
import static io.hookrail.approval.ApprovalEvidence.performedWith;
import static io.hookrail.approval.ApprovalEvidence.refundNotIssuedNote;
import static io.hookrail.approval.ApprovalEvidence.sendRefund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An approval nobody decides in {@code hookrail.approval.expiry} expires as a decision by the system: its audit
 * entry, the held event back in its flow, which ends {@code expired} with the flow's CRM note; nobody can decide it
 * any more, and its business id is free for a new event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalExpiryTest {

    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient approver;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().property("hookrail.approval.expiry", "PT1S")
                .property("hookrail.approval.expiryCheckMillis", "200").start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
    }

    @AfterAll
    void stopHookrail() {
        hookrail.close();
    }

    @Test
    void anUndecidedApprovalExpiresWithItsAuditEntryNoteAndOutcome() throws Exception {
        double expiredBefore = expiredRuns();
        GoldenEvents.Golden golden = GoldenEvents.named("support-refund-large.json");
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks(golden.source(), golden.secret(), eventId, golden.body()).statusCode());
        JsonNode expired = awaitApproval(approver, "refund", eventId, "expired");
        assertEquals("RF-502", expired.path("businessId").asText());
        assertEquals("system", expired.path("decidedBy").asText());
        String expiresAt = expired.path("expiresAt").asText();

        HttpResponse<String> late = approver.postRaw("/api/approvals/" + expired.path("id").asText() + "/approve", "{}");
        assertEquals(409, late.statusCode(), late.body());

        // the evidence: the system's entry, in the transaction that expired the approval
        JsonNode audit = approver.get("/api/audit?action=approval.expired&subject=" + expired.path("id").asText());
        assertEquals(1, audit.path("total").asInt(), audit.toString());
        assertEquals("system", audit.path("items").get(0).path("actor").asText());
        assertEquals(expiresAt, audit.path("items").get(0).path("detail").path("expiresAt").asText());

        // the held event came back and ended expired, with the CRM note of a refund not issued, and its reason
        assertEquals("expired", awaitOutcomeAfterHold(approver, eventId));
        assertEquals("not decided before " + expiresAt,
                awaitStep(approver, eventId, "approval", "expired").path("detail").asText());
        assertEquals(List.of("refund:RF-502:note.add:1"), ledgerKeys(sandbox, "RF-502"));
        performedWith(hookrail.baseUrl(), "/crm/notes", "refund:RF-502:note.add:1",
                refundNotIssuedNote("RF-502", "expired", "not decided before " + expiresAt));
        assertEquals(List.of("refund:RF-502:note.add:1"), ledgerKeys(sandbox, "RF-502"));
        assertTrue(Await.until(() -> expiredRuns() == expiredBefore + 1),
                "hookrail_flow_outcomes_total{outcome=expired} did not count the run: " + expiredRuns());
    }

    @Test
    void theRefundIdOfAnExpiredApprovalIsFreeForANewEvent() throws Exception {
        String refundId = "RF-" + UUID.randomUUID();
        String held = sendRefund(sender, refundId, 100000, null);
        awaitApproval(approver, "refund", held, "expired");
        assertEquals("expired", awaitOutcomeAfterHold(approver, held));

        // a new refund under that id, small enough to need no approval
        String next = sendRefund(sender, refundId, 20000, null);
        String outcome = awaitStep(approver, next, "outcome", any -> true).path("outcome").asText();
        // an expired run releases its business key: the new event runs, as a new saga attempt with keys of its own
        assertEquals("completed", outcome);
        assertEquals(List.of("refund:" + refundId + ":note.add:1", "refund:" + refundId + ":payment.refund:2",
                "refund:" + refundId + ":note.add:2"), ledgerKeys(sandbox, refundId));
    }

    double expiredRuns() {
        return MetricsScrape.of(hookrail.managementUrl())
                .value("hookrail_flow_outcomes_total", "flow", "refund", "outcome", "expired");
    }
}

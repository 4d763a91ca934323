package io.hookrail.approval;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.approval.ApprovalEvidence.approvalOf;
import static io.hookrail.approval.ApprovalEvidence.approvalsOf;
import static io.hookrail.approval.ApprovalEvidence.awaitApproval;
import static io.hookrail.approval.ApprovalEvidence.awaitOutcomeAfterHold;
import static io.hookrail.approval.ApprovalEvidence.awaitStep;
import static io.hookrail.approval.ApprovalEvidence.ledgerKeys;
import static io.hookrail.approval.ApprovalEvidence.performedWith;
import static io.hookrail.approval.ApprovalEvidence.refundCall;
import static io.hookrail.approval.ApprovalEvidence.sendRefund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Approval gates end to end: held events, decisions through the API, four-eyes and races, and decisions bound to the
 * data they were asked for; per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApprovalScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FULFILLED = List.of("invoice.create", "payment.capture", "email.send");

    TestDatabase database;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient approver;
    AdminClient approver2;

    abstract TestDatabase database();

    @BeforeAll
    void startHookrail() {
        database = database();
        // a run that fails for good is dead-lettered after one quick retry
        hookrail = HookrailInstance.builder().database(database)
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "100").start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
        approver2 = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER2_TOKEN);
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void largeGoldenOrderWaitsAndIsFulfilledOnceApproved() throws Exception {
        var golden = GoldenEvents.named("shop-order-placed-large.json");
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", golden.secret(), eventId, golden.body()).statusCode());
        JsonNode pending = awaitPending("order-fulfilment", "ORD-10002");
        assertTrue(pending.path("rule").asText().contains("order"), pending.toString());
        assertEquals(List.of(), sandbox.operations("ORD-10002"), "a side effect before the approval");

        HttpResponse<String> approved = approver.postRaw("/api/approvals/" + pending.path("id").asText() + "/approve",
                "{\"comment\":\"known customer\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("approver", JSON.readTree(approved.body()).path("decidedBy").asText());
        assertEquals(FULFILLED, sandbox.awaitOperations("ORD-10002", ops -> ops.size() >= 3));

        HttpResponse<String> again = approver2.postRaw("/api/approvals/" + pending.path("id").asText() + "/approve", "{}");
        assertEquals(409, again.statusCode(), again.body());
        assertEquals("completed", awaitOutcomeAfterHold(approver, eventId));
        assertEquals(FULFILLED, sandbox.operations("ORD-10002"));

        // the evidence: the policy's hold, the approver's decision, each downstream call; the chain verifies
        JsonNode held = approver.get("/api/audit?action=policy.require_approval&subject=order-fulfilment/ORD-10002");
        assertEquals("order-above-threshold", held.path("items").get(0).path("detail").path("rule").asText(), held.toString());
        JsonNode decision = approver.get("/api/audit?action=approval.approved&subject=" + pending.path("id").asText());
        assertEquals(1, decision.path("total").asInt(), decision.toString());
        assertEquals("approver", decision.path("items").get(0).path("actor").asText());
        assertEquals("known customer", decision.path("items").get(0).path("detail").path("comment").asText());
        JsonNode calls = approver.get("/api/audit?action=downstream.call&subject=order-fulfilment/ORD-10002");
        List<String> steps = new ArrayList<>();
        calls.path("items").forEach(call -> steps.add(0, call.path("detail").path("step").asText()));
        assertEquals(FULFILLED, steps);
        assertTrue(approver.get("/api/audit/verify").path("valid").asBoolean());
    }

    @Test
    void rejectedGoldenRefundLeavesOnlyACrmNote() throws Exception {
        var golden = GoldenEvents.named("support-refund-large.json");
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("support", golden.secret(), eventId, golden.body()).statusCode());
        JsonNode pending = awaitPending("refund", "RF-502");
        HttpResponse<String> rejected = approver.postRaw("/api/approvals/" + pending.path("id").asText() + "/reject",
                "{\"comment\":\"not a duplicate charge\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        assertEquals(List.of("note.add"), sandbox.awaitOperations("RF-502", ops -> !ops.isEmpty()));
        assertEquals("rejected", awaitOutcomeAfterHold(approver, eventId));
        assertEquals(List.of("note.add"), sandbox.operations("RF-502"));
    }

    @Test
    void smallGoldenRefundIsRefundedAtOnce() throws Exception {
        var golden = GoldenEvents.named("support-refund-small.json");
        assertEquals(202, sender.standardWebhooks("support", golden.secret(), "msg_" + UUID.randomUUID(), golden.body())
                .statusCode());
        assertEquals(List.of("payment.refund", "note.add"), sandbox.awaitOperations("RF-501", ops -> ops.size() >= 2));
    }

    @Test
    void racingApprovalsAndRejectionsHaveOneEffect() throws Exception {
        String refundId = "RF-" + UUID.randomUUID();
        String eventId = sendRefund(sender, refundId, 100000, null);
        String id = awaitPending("refund", refundId).path("id").asText();
        int racers = 10;
        ExecutorService pool = Executors.newFixedThreadPool(racers * 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < racers * 2; i++) {
            String decision = i % 2 == 0 ? "/approve" : "/reject";
            AdminClient who = i % 4 < 2 ? approver : approver2;
            Callable<Integer> race = () -> {
                start.await();
                return who.postRaw("/api/approvals/" + id + decision, "{}").statusCode();
            };
            answers.add(pool.submit(race));
        }
        start.countDown();
        int won = 0;
        for (Future<Integer> answer : answers) {
            int status = answer.get();
            assertTrue(status == 200 || status == 409, "answer " + status);
            won += status == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
        String outcome = awaitOutcomeAfterHold(approver, eventId);
        assertTrue(outcome.equals("completed") || outcome.equals("rejected"), outcome);
        assertEquals(outcome.equals("completed") ? List.of("payment.refund", "note.add") : List.of("note.add"),
                sandbox.operations(refundId));
    }

    @Test
    void aRequestedByInTheEventIsAClaimThatNeitherBlocksNorNamesTheRequester() throws Exception {
        // the event says the approver asked for it: unverified, so it does not stop the approver deciding
        String refundId = sendLargeRefund("approver");
        JsonNode pending = awaitPending("refund", refundId);
        String id = pending.path("id").asText();
        assertEquals("source:support", pending.path("requester").asText(), pending.toString());
        assertEquals("approver", pending.path("claimedBy").asText(), pending.toString());
        JsonNode held = approver.get("/api/audit?action=policy.require_approval&subject=refund/" + refundId);
        assertEquals("source:support", held.path("items").get(0).path("detail").path("requester").asText(),
                held.toString());

        HttpResponse<String> approved = approver.postRaw("/api/approvals/" + id + "/approve", "{}");
        assertEquals(200, approved.statusCode(), approved.body());
        assertEquals("source:support", JSON.readTree(approved.body()).path("requester").asText());
        assertEquals(List.of("payment.refund", "note.add"), sandbox.awaitOperations(refundId, ops -> ops.size() >= 2));
        JsonNode decision = approver.get("/api/audit?action=approval.approved&subject=" + id);
        assertEquals("source:support", decision.path("items").get(0).path("detail").path("requester").asText(),
                decision.toString());
    }

    @Test
    void approvalsNeedAnApprover() throws Exception {
        String refundId = sendLargeRefund(null);
        String id = awaitPending("refund", refundId).path("id").asText();
        assertEquals(401, new AdminClient(hookrail.baseUrl(), "not-a-token")
                .postRaw("/api/approvals/" + id + "/approve", "{}").statusCode());
        for (String token : List.of(AdminClient.VIEWER_TOKEN, AdminClient.OPERATOR_TOKEN)) {
            assertEquals(403, new AdminClient(hookrail.baseUrl(), token)
                    .postRaw("/api/approvals/" + id + "/approve", "{}").statusCode(), token);
            assertEquals(403, new AdminClient(hookrail.baseUrl(), token)
                    .postRaw("/api/approvals/" + id + "/reject", "{}").statusCode(), token);
        }
        assertEquals(0, new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN).get("/api/approvals?state=approved")
                .path("items").findValuesAsText("businessId").stream().filter(refundId::equals).count());
    }

    @Test
    void anApprovedRefundDoesNotCoverALargerRefundWithTheSameId() throws Exception {
        String refundId = "RF-" + UUID.randomUUID();
        String smaller = sendRefund(sender, refundId, 100000, null);
        JsonNode smallerApproval = awaitApproval(approver, "refund", smaller, "pending");
        // approved, but its refund fails for good (payments is down): dead-lettered, its refund id is free again
        sandbox.fault("payments", "down");
        try {
            assertEquals(200, approver.postRaw("/api/approvals/" + smallerApproval.path("id").asText() + "/approve",
                    "{\"comment\":\"1,000.00 is fine\"}").statusCode());
            awaitStep(approver, smaller, "outcome", "dead_lettered");
        } finally {
            sandbox.clearFaults();
        }

        // the same refund id, 1,200.00: judged afresh and held under its own approval, not run under the first one
        String larger = sendRefund(sender, refundId, 120000, null);
        JsonNode largerApproval = awaitApproval(approver, "refund", larger, "pending");
        assertNotEquals(smallerApproval.path("id").asText(), largerApproval.path("id").asText());
        assertEquals(120000, largerApproval.path("amountMinor").asLong());
        assertEquals(120000, largerApproval.path("data").path("amountMinor").asLong());
        assertEquals("approval " + largerApproval.path("id").asText(),
                awaitStep(approver, larger, "outcome", "held").path("detail").asText());
        assertEquals(List.of(), ledgerKeys(sandbox, refundId), "a refund was issued before the larger one's approval");
        assertEquals("APPROVED", approvalOf(approver, "refund", smaller, "approved").path("state").asText());

        assertEquals(200, approver2.postRaw("/api/approvals/" + largerApproval.path("id").asText() + "/approve",
                "{\"comment\":\"1,200.00 checked\"}").statusCode());
        assertEquals("completed", awaitOutcomeAfterHold(approver, larger));
        assertEquals(List.of("refund:" + refundId + ":payment.refund:1", "refund:" + refundId + ":note.add:1"), ledgerKeys(sandbox, refundId));
        // the refund issued is the one approved, 1,200.00, byte for byte as the flow sent it
        assertEquals(120000, performedWith(hookrail.baseUrl(), "/payments/refunds", "refund:" + refundId + ":payment.refund:1",
                refundCall(refundId, 120000)).path("amountMinor").asLong());
        assertEquals(List.of("refund:" + refundId + ":payment.refund:1", "refund:" + refundId + ":note.add:1"), ledgerKeys(sandbox, refundId));
    }

    @Test
    void twoPendingRefundsWithTheSameIdHaveAnApprovalEachAndEachDecisionRunsOnlyItsOwnEvent() throws Exception {
        String refundId = "RF-" + UUID.randomUUID();
        String smaller = sendRefund(sender, refundId, 100000, null);
        JsonNode smallerApproval = awaitApproval(approver, "refund", smaller, "pending");
        String larger = sendRefund(sender, refundId, 120000, null);
        JsonNode largerApproval = awaitApproval(approver, "refund", larger, "pending");
        assertNotEquals(smallerApproval.path("id").asText(), largerApproval.path("id").asText());
        assertEquals(100000, smallerApproval.path("data").path("amountMinor").asLong());
        assertEquals(120000, largerApproval.path("data").path("amountMinor").asLong());
        // the smaller one again, under a new event id: the same data finds the approval it has
        String again = sendRefund(sender, refundId, 100000, null);
        assertEquals("approval " + smallerApproval.path("id").asText(),
                awaitStep(approver, again, "outcome", "held").path("detail").asText());
        List<JsonNode> approvals = approvalsOf(approver, "refund", refundId);
        assertEquals(2, approvals.size(), approvals.toString());

        // approving the larger one issues the larger refund, and leaves the smaller one waiting
        assertEquals(200, approver.postRaw("/api/approvals/" + largerApproval.path("id").asText() + "/approve", "{}")
                .statusCode());
        assertEquals("completed", awaitOutcomeAfterHold(approver, larger));
        assertEquals(List.of("refund:" + refundId + ":payment.refund:1", "refund:" + refundId + ":note.add:1"), ledgerKeys(sandbox, refundId));
        assertEquals(120000, performedWith(hookrail.baseUrl(), "/payments/refunds", "refund:" + refundId + ":payment.refund:1",
                refundCall(refundId, 120000)).path("amountMinor").asLong());
        assertEquals("PENDING", approvalOf(approver, "refund", smaller, "pending").path("state").asText());

        // rejecting the smaller one brings back its own event only, which finds the refund id done
        assertEquals(200, approver.postRaw("/api/approvals/" + smallerApproval.path("id").asText() + "/reject",
                "{\"comment\":\"one refund is enough\"}").statusCode());
        assertEquals("duplicate", awaitOutcomeAfterHold(approver, smaller));
        assertEquals(List.of("refund:" + refundId + ":payment.refund:1", "refund:" + refundId + ":note.add:1"), ledgerKeys(sandbox, refundId));
    }

    /** A refund of 1,000.00 USD, above the threshold, under a new refund id. */
    String sendLargeRefund(String requestedBy) throws Exception {
        String refundId = "RF-" + UUID.randomUUID();
        sendRefund(sender, refundId, 100000, requestedBy);
        return refundId;
    }

    JsonNode awaitPending(String flow, String businessId) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        assertTrue(Await.until(() -> {
            for (JsonNode item : approver.get("/api/approvals?state=pending&flow=" + flow).path("items")) {
                if (businessId.equals(item.path("businessId").asText())) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        }), businessId + " not held for approval");
        return found[0];
    }

}

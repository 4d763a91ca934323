package io.hookrail.approval;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.hookrail.approval.ApprovalEvidence.approvalOf;
import static io.hookrail.approval.ApprovalEvidence.awaitApproval;
import static io.hookrail.approval.ApprovalEvidence.awaitStep;
import static io.hookrail.approval.ApprovalEvidence.sendRefund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four eyes on the requester Hookrail authenticated: an admin user who replayed an event is its approval's requester
 * and may not approve it, whatever the event's own {@code requestedBy} claims; another approver may.
 * <p>
 * Roles are one per user (an operator replays, an approver decides), so the replayer rule matters where a person's
 * role changes while their approval waits: alice replays as an operator, then is made an approver (a restart with
 * other settings, on the same data) and still cannot approve what she asked for. The approval is made by a replay
 * the way it happens in operation: the refund failed before any approval existed (a more lenient policy then, and
 * payments down), and the policy in force at the replay holds it. On H2 and PostgreSQL.
 */
class ReplayedApprovalFourEyesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ALICE_TOKEN = "test-alice-token-4f2a9c81d3e7b605";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void theAdminUserWhoReplayedAHeldEventCannotApproveItAndAnotherApproverCan(String database) throws Exception {
        try (TestDatabase store = database.equals("postgresql") ? TestDatabase.freshPostgres()
                : TestDatabase.embeddedDefault()) {
            replayedByAliceApprovedByApprover2(store);
        }
    }

    void replayedByAliceApprovedByApprover2(TestDatabase store) throws Exception {
        Path data = Files.createTempDirectory("hookrail-four-eyes-");
        Path lenient = data.resolveSibling(data.getFileName() + "-lenient-policy.yaml");
        Files.writeString(lenient, """
                version: 1
                eventTypes:
                  refund.requested:
                    requireApproval:
                      - rule: refund-above-a-million
                        reason: Refunds above 1,000,000.00 need a finance approval
                        amountAbove: { USD: 100000000 }
                """);
        String refundId = "RF-" + UUID.randomUUID();
        String eventId;

        // 1. the refund is allowed by the policy of the day, payments is down: dead-lettered, no approval exists
        try (HookrailInstance hookrail = instance(data, store, "operator")
                .property("hookrail.policy.file", lenient.toString()).start()) {
            SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
            sandbox.fault("payments", "down");
            try {
                // the event claims another approver asked for it: a claim decides nothing
                eventId = sendRefund(new WebhookSender(hookrail.baseUrl()), refundId, 100000, "approver2");
                awaitStep(new AdminClient(hookrail.baseUrl(), AdminClient.VIEWER_TOKEN), eventId, "outcome",
                        "dead_lettered");
            } finally {
                sandbox.clearFaults();
            }
        }

        // 2. under the policy in force now, alice (an operator) replays it: it is held, requested by her
        String approvalId;
        try (HookrailInstance hookrail = instance(data, store, "operator").start()) {
            AdminClient alice = new AdminClient(hookrail.baseUrl(), ALICE_TOKEN);
            String letter = alice.deadLetter("refund", eventId).orElseThrow().path("id").asText();
            HttpResponse<String> replayed = alice.postRaw("/api/dlq/" + letter + "/replay", "{}");
            assertEquals(200, replayed.statusCode(), replayed.body());
            JsonNode approval = awaitApproval(alice, "refund", eventId, "pending");
            approvalId = approval.path("id").asText();
            assertEquals("user:alice", approval.path("requester").asText(), approval.toString());
            assertEquals("approver2", approval.path("claimedBy").asText(), approval.toString());
            JsonNode replay = alice.get("/api/audit?action=dlq.replay&subject=refund/" + eventId);
            assertEquals("user:alice", replay.path("items").get(0).path("detail").path("requester").asText(),
                    replay.toString());
            JsonNode held = alice.get("/api/audit?action=policy.require_approval&subject=refund/" + refundId);
            assertEquals("user:alice", held.path("items").get(0).path("detail").path("requester").asText(),
                    held.toString());
        }

        // 3. alice is an approver now: she may not approve what she asked for; approver2, named by the claim, may
        try (HookrailInstance hookrail = instance(data, store, "approver").start()) {
            AdminClient alice = new AdminClient(hookrail.baseUrl(), ALICE_TOKEN);
            HttpResponse<String> own = alice.postRaw("/api/approvals/" + approvalId + "/approve", "{}");
            assertEquals(403, own.statusCode(), own.body());
            assertEquals("application/problem+json", own.headers().firstValue("Content-Type").orElse(""));
            JsonNode problem = JSON.readTree(own.body());
            assertEquals("urn:hookrail:problem:four-eyes", problem.path("type").asText(), own.body());
            assertTrue(problem.path("detail").asText().contains("alice requested this approval (by replaying its"
                    + " event)"), own.body());
            assertEquals(approvalId, approvalOf(alice, "refund", eventId, "pending").path("id").asText());

            AdminClient approver2 = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER2_TOKEN);
            HttpResponse<String> approved = approver2.postRaw("/api/approvals/" + approvalId + "/approve", "{}");
            assertEquals(200, approved.statusCode(), approved.body());
            assertEquals("user:alice", JSON.readTree(approved.body()).path("requester").asText());
            // its first run's outcome (dead-lettered) is on its timeline too: this run's is the one that completed
            awaitStep(approver2, eventId, "outcome", "completed");
            assertEquals(List.of("payment.refund", "note.add"), new SandboxClient(hookrail.baseUrl())
                    .awaitOperations(refundId, ops -> ops.size() >= 2));
            JsonNode decision = approver2.get("/api/audit?action=approval.approved&subject=" + approvalId);
            assertEquals("approver2", decision.path("items").get(0).path("actor").asText(), decision.toString());
            assertEquals("user:alice", decision.path("items").get(0).path("detail").path("requester").asText(),
                    decision.toString());
            assertTrue(Await.until(() -> approver2.get("/api/audit/verify").path("valid").asBoolean()));
        }
    }

    /**
     * An instance on the data directory (the broker's) and the store, whose user alice has the role; a failed run is
     * dead-lettered quickly.
     */
    static HookrailInstance.Builder instance(Path data, TestDatabase store, String aliceRole) {
        return HookrailInstance.builder().dataDir(data).database(store)
                .property("hookrail.admin.users", "viewer,operator,approver,approver2,alice")
                .property("hookrail.admin.user.alice.token", ALICE_TOKEN)
                .property("hookrail.admin.user.alice.role", aliceRole)
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "100");
    }
}

package io.hookrail.approval;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Held approvals are durable: Hookrail as its own process holds the large golden order and refund, dies by SIGKILL,
 * starts again on the same data directory, and the approvals are still pending; approved then, each completes once.
 */
abstract class ApprovalKillScenarios {

    abstract TestDatabase database();

    @Test
    void heldApprovalsSurviveAKillAndCompleteOnceWhenApproved() throws Exception {
        try (TestDatabase database = database()) {
            Map<String, String> properties = database.isPostgres() ? Map.of("hookrail.db.url", database.jdbcUrl()) : Map.of();
            HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-approval-kill-"), properties)
                    .start();
            try {
                WebhookSender sender = new WebhookSender(hookrail.baseUrl());
                List<String> eventIds = new ArrayList<>();
                for (String golden : List.of("shop-order-placed-large.json", "support-refund-large.json")) {
                    GoldenEvents.Golden event = GoldenEvents.named(golden);
                    String eventId = "msg_" + UUID.randomUUID();
                    eventIds.add(eventId);
                    assertEquals(202, sender.standardWebhooks(event.source(), event.secret(), eventId, event.body())
                            .statusCode(), golden);
                }
                AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
                String order = pending(approver, "order-fulfilment", "ORD-10002");
                String refund = pending(approver, "refund", "RF-502");

                hookrail.kill();
                hookrail.start();

                approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
                assertEquals(order, pending(approver, "order-fulfilment", "ORD-10002"), "the order's approval after the kill");
                assertEquals(refund, pending(approver, "refund", "RF-502"), "the refund's approval after the kill");
                SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
                assertEquals(List.of(), sandbox.operations("ORD-10002"));
                assertEquals(List.of(), sandbox.operations("RF-502"));

                assertEquals(200, approver.postRaw("/api/approvals/" + order + "/approve", "{}").statusCode());
                assertEquals(200, approver.postRaw("/api/approvals/" + refund + "/approve", "{}").statusCode());
                assertEquals(List.of("invoice.create", "payment.capture", "email.send"),
                        sandbox.awaitOperations("ORD-10002", ops -> ops.size() >= 3));
                assertEquals(List.of("payment.refund", "note.add"), sandbox.awaitOperations("RF-502", ops -> ops.size() >= 2));
                // each run has ended: nothing more may follow
                for (String eventId : eventIds) {
                    assertEquals("completed", ApprovalEvidence.awaitOutcomeAfterHold(approver, eventId), eventId);
                }
                assertEquals(3, sandbox.operations("ORD-10002").size());
                assertEquals(2, sandbox.operations("RF-502").size());
            } finally {
                hookrail.close();
            }
        }
    }

    /** The id of the pending approval of the business id, once it is held. */
    static String pending(AdminClient approver, String flow, String businessId) throws InterruptedException {
        String[] id = new String[1];
        assertTrue(Await.until(() -> {
            for (JsonNode item : approver.get("/api/approvals?state=pending&flow=" + flow).path("items")) {
                if (businessId.equals(item.path("businessId").asText())) {
                    id[0] = item.path("id").asText();
                    return true;
                }
            }
            return false;
        }), businessId + " not held for approval");
        return id[0];
    }
}

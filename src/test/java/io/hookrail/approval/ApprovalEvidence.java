package io.hookrail.approval;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the approval tests send and read back over HTTP: refunds under an id of the test's choosing, an event's
 * timeline, approvals by event, the sandbox ledger's idempotency keys, and what the sandbox performed for a key.
 */
final class ApprovalEvidence {

    static final ObjectMapper JSON = new ObjectMapper();
    /** The order and payment of the golden large refund (order ORD-10002 is 4,500.00 USD). */
    static final String ORDER_ID = "ORD-10002";
    static final String PAYMENT_ID = "PAY-90001";
    static final String REASON = "duplicate charge";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ApprovalEvidence() {
    }

    /** Sends a USD refund of the golden large refund's order with this refund id and amount; returns its event id. */
    static String sendRefund(WebhookSender sender, String refundId, long amountMinor, String requestedBy)
            throws Exception {
        ObjectNode refund = (ObjectNode) JSON.readTree(GoldenEvents.read("support-refund-large.json"));
        ObjectNode data = (ObjectNode) refund.get("data");
        data.put("refundId", refundId);
        data.put("amountMinor", amountMinor);
        if (requestedBy != null) {
            data.put("requestedBy", requestedBy);
        }
        String eventId = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("support", GoldenEvents.SUPPORT_SECRET, eventId,
                JSON.writeValueAsString(refund).getBytes(StandardCharsets.UTF_8)).statusCode(), refundId);
        return eventId;
    }

    /** The body the refund flow sends to payments for a refund sent by {@link #sendRefund}. */
    static ObjectNode refundCall(String refundId, long amountMinor) {
        return JSON.createObjectNode().put("reference", refundId).put("paymentId", PAYMENT_ID)
                .put("amountMinor", amountMinor).put("currency", "USD").put("reason", REASON);
    }

    /** The body of the CRM note the refund flow writes for a refund it does not issue. */
    static ObjectNode refundNotIssuedNote(String refundId, String outcome, String reason) {
        return JSON.createObjectNode().put("reference", refundId).put("subject", "Refund not issued")
                .put("text", "Refund " + refundId + " " + outcome + ": " + reason);
    }

    static List<JsonNode> steps(AdminClient admin, String eventId) {
        return Timelines.steps(admin, eventId);
    }

    static JsonNode awaitStep(AdminClient admin, String eventId, String kind, Predicate<String> outcome)
            throws InterruptedException {
        return Timelines.awaitStep(admin, eventId, kind, outcome);
    }

    static JsonNode awaitStep(AdminClient admin, String eventId, String kind, String outcome)
            throws InterruptedException {
        return Timelines.awaitStep(admin, eventId, kind, outcome);
    }

    /** How the event's run ended after its approval was decided: the first outcome that is not {@code held}. */
    static String awaitOutcomeAfterHold(AdminClient admin, String eventId) throws InterruptedException {
        return awaitStep(admin, eventId, "outcome", outcome -> !"held".equals(outcome)).path("outcome").asText();
    }

    /** Waits until the event has an approval in this state (pending, approved, rejected, expired); returns it. */
    static JsonNode awaitApproval(AdminClient admin, String flow, String eventId, String state)
            throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        assertTrue(Await.until(() -> {
            found[0] = approvalOf(admin, flow, eventId, state);
            return found[0] != null;
        }), "event " + eventId + " has no " + state + " approval");
        return found[0];
    }

    /** The event's approval in this state, or null. */
    static JsonNode approvalOf(AdminClient admin, String flow, String eventId, String state) {
        for (JsonNode item : admin.get("/api/approvals?state=" + state + "&flow=" + flow).path("items")) {
            if (eventId.equals(item.path("eventId").asText())) {
                return item;
            }
        }
        return null;
    }

    /** Every approval of the business id, in any state. */
    static List<JsonNode> approvalsOf(AdminClient admin, String flow, String businessId) {
        List<JsonNode> approvals = new ArrayList<>();
        admin.get("/api/approvals?flow=" + flow).path("items").forEach(item -> {
            if (businessId.equals(item.path("businessId").asText())) {
                approvals.add(item);
            }
        });
        return approvals;
    }

    /** The idempotency keys ({@code <eventId>:<step>:<run>.<attempt>}) of the business id's ledger, in order. */
    static List<String> ledgerKeys(SandboxClient sandbox, String businessId) {
        return sandbox.ledger(businessId).stream().map(SandboxClient.Effect::idempotencyKey).toList();
    }

    /**
     * Sends the call again with the key of a performed one: the sandbox answers the stored response, and does
     * nothing, only for the very request it performed (any other body is 422). Returns the stored response.
     */
    static JsonNode performedWith(String baseUrl, String path, String idempotencyKey, JsonNode body) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandbox" + path))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(2, answer.statusCode() / 100, "not the request performed under " + idempotencyKey + ": "
                + body + " answered " + answer.statusCode() + " " + answer.body());
        assertEquals("true", answer.headers().firstValue("Idempotent-Replayed").orElse(null),
                "nothing was performed under " + idempotencyKey + " before");
        return JSON.readTree(answer.body());
    }
}

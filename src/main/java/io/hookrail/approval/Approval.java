package io.hookrail.approval;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.json.CanonicalJson;
import io.hookrail.ops.HttpAnswers;

/**
 * An event held for a person's decision, as the approvals API shows it. It covers exactly the data it was asked for:
 * {@code dataHash} is {@link #dataHash(JsonNode)} of the held event's data ({@code null} for an approval held before
 * the hash was stored; {@link #covers(String)} then hashes the stored event).
 * <p>
 * {@code requester} is whom Hookrail authenticated as asking for the run that was held ({@link
 * io.hookrail.broker.EventRequester}: {@code source:<name>} or {@code user:<name>}; null for an approval held before
 * it was stored): the four-eyes rule reads it. {@code requestedBy} is the event's own {@code data.requestedBy}, a
 * claim shown to approvers as such ({@code claimedBy}) and used for nothing else.
 */
public record Approval(String id, String flow, String businessId, String eventId, String eventType, String ruleId,
                       String reason, State state, String requestedBy, Long amountMinor, String currency, String event,
                       String dataHash, int run, Instant createdAt, Instant expiresAt, Instant decidedAt,
                       String decidedBy, String comment, String requester) {

    /** Where an approval stands; it leaves PENDING once, for good. */
    public enum State { PENDING, APPROVED, REJECTED, EXPIRED }

    /** What an approval binds to: the lowercase hex SHA-256 of the canonical JSON of a CloudEvent's {@code data}. */
    public static String dataHash(JsonNode data) {
        return CanonicalJson.sha256(data == null ? HttpAnswers.MAPPER.nullNode() : data);
    }

    /** Whether this approval was asked for an event with data of this hash. */
    public boolean covers(String hash) {
        if (dataHash != null) {
            return dataHash.equals(hash);
        }
        try {
            return dataHash(HttpAnswers.MAPPER.readTree(event).get("data")).equals(hash);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    public ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode()
                .put("id", id)
                .put("flow", flow)
                .put("businessId", businessId)
                .put("eventId", eventId)
                .put("eventType", eventType)
                .put("rule", ruleId)
                .put("reason", reason)
                .put("state", state.name())
                .put("requester", requester)
                .put("claimedBy", requestedBy)
                .put("amountMinor", amountMinor)
                .put("currency", currency)
                .put("createdAt", createdAt.toString())
                .put("expiresAt", expiresAt.toString())
                .put("decidedAt", decidedAt == null ? null : decidedAt.toString())
                .put("decidedBy", decidedBy)
                .put("comment", comment);
        try {
            json.set("data", HttpAnswers.MAPPER.readTree(event).get("data"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            json.putNull("data");
        }
        return json;
    }
}

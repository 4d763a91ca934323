package io.hookrail.audit;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * One row of the audit trail, as stored.
 *
 * @param detail   the canonical JSON text the hash covers
 * @param prevHash the previous entry's hash (64 zeros for the first entry)
 * @param hash     {@link AuditTrail#chainHash the chain hash} of this entry
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String correlationId,
                         String detail, String prevHash, String hash) {

    /**
     * The entry as the admin API shows it: {@code seq, at, actor, action, subject, correlationId, detail, hash,
     * prevHash}, with {@code detail} as a JSON object (as text if the stored detail is no longer JSON).
     */
    public ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode()
                .put("seq", seq)
                .put("at", at == null ? null : AuditTrail.formatInstant(at))
                .put("actor", actor)
                .put("action", action)
                .put("subject", subject)
                .put("correlationId", correlationId);
        json.set("detail", detailJson());
        return json.put("hash", hash).put("prevHash", prevHash);
    }

    /** The detail parsed; a text node when the stored text is not JSON (a tampered row must still be listable). */
    public JsonNode detailJson() {
        if (detail == null) {
            return HttpAnswers.MAPPER.nullNode();
        }
        try {
            return HttpAnswers.MAPPER.readTree(detail);
        } catch (JsonProcessingException e) {
            return HttpAnswers.MAPPER.getNodeFactory().textNode(detail);
        }
    }
}

package io.hookrail.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * The outcome of {@link AuditTrail#verify()}: the chain is intact, or the first entry where it breaks and why.
 *
 * @param entries        the entries read
 * @param firstBrokenSeq the seq of the first entry that is missing, changed or out of the chain; null when valid
 * @param problem        why, starting with {@code seq gap}, {@code prev_hash mismatch}, {@code hash mismatch} or
 *                       {@code head mismatch}; null when valid
 */
public record AuditVerification(boolean valid, long entries, Long firstBrokenSeq, String problem) {

    public static AuditVerification intact(long entries) {
        return new AuditVerification(true, entries, null, null);
    }

    public static AuditVerification broken(long entries, long firstBrokenSeq, String problem) {
        return new AuditVerification(false, entries, firstBrokenSeq, problem);
    }

    /** {@code {"valid": true, "entries": n}} or {@code {"valid": false, "entries", "firstBrokenSeq", "problem"}}. */
    public ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode().put("valid", valid).put("entries", entries);
        if (!valid) {
            json.put("firstBrokenSeq", firstBrokenSeq).put("problem", problem);
        }
        return json;
    }
}

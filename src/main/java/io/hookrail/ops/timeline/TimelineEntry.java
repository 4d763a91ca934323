package io.hookrail.ops.timeline;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * One step an event took.
 *
 * @param kind     what happened: {@code received}, {@code published}, {@code consumed}, {@code policy},
 *                 {@code approval}, {@code call}, {@code retry}, {@code compensated}, {@code dead-lettered},
 *                 {@code replayed} or {@code outcome}
 * @param flow     the flow it happened in; null at the gateway
 * @param version  the version of the flow a run's step happened in; null outside a run
 * @param step     the downstream operation of a call (e.g. {@code invoice.create}); else null
 * @param outcome  how it went: a status class of a call, a policy outcome, a flow's outcome, a rejection's status
 * @param duration how long a call took, in milliseconds; else null
 * @param detail   a short text: a rule and reason, a failure, who decided
 */
public record TimelineEntry(String eventId, String correlationId, Instant at, String kind, String flow, String version,
                            String step, String outcome, Long duration, String detail) {

    static final int MAX_DETAIL = 2000;

    public TimelineEntry {
        if (detail != null && detail.length() > MAX_DETAIL) {
            detail = detail.substring(0, MAX_DETAIL - 3) + "...";
        }
    }

    ObjectNode toJson() {
        ObjectNode json = HttpAnswers.MAPPER.createObjectNode()
                .put("at", at.toString())
                .put("kind", kind)
                .put("flow", flow)
                .put("version", version)
                .put("step", step)
                .put("outcome", outcome)
                .put("detail", detail)
                .put("correlationId", correlationId);
        if (duration != null) {
            json.put("durationMillis", duration);
        }
        return json;
    }
}

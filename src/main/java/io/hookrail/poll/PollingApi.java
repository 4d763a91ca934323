package io.hookrail.poll;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/sources/{name}} (any admin role): a polling source's definition, watermark and last poll;
 * {@code POST /api/sources/{name}/rerun} (operator) with {@code {"from": "<watermark>"}} ({@code null} or absent:
 * from the beginning): the instance holding the poller re-runs from there at its next tick; 202.
 */
final class PollingApi {

    static final String PREFIX = "/api/sources/";
    static final String RERUN = "/rerun";
    private static final int MAX_WATERMARK = PollWatermarks.MAX_TEXT;

    private final PollingSources sources;

    PollingApi(PollingSources sources) {
        this.sources = sources;
    }

    void show(Exchange exchange) throws ApiProblem, SQLException {
        PollingSource source = source(AdminRequests.pathSegment(exchange, PREFIX, ""));
        HttpAnswers.json(exchange, 200, status(source).toString());
    }

    void rerun(Exchange exchange) throws ApiProblem, SQLException {
        PollingSource source = source(AdminRequests.pathSegment(exchange, PREFIX, RERUN));
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? HttpAnswers.MAPPER.createObjectNode()
                    : HttpAnswers.MAPPER.readTree(body);
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body is not valid JSON");
        }
        if (request == null || !request.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object such as {\"from\": \"120\"}");
        }
        JsonNode from = request.path("from");
        if (!from.isMissingNode() && !from.isNull() && !from.isTextual()) {
            throw ApiProblem.badRequest("from must be a string (a watermark the source gave) or null (the beginning)");
        }
        String watermark = from.isTextual() ? from.asText() : null;
        if (watermark != null && (watermark.isEmpty() || watermark.length() > MAX_WATERMARK
                || watermark.chars().anyMatch(Character::isISOControl))) {
            throw ApiProblem.badRequest("from must be 1 to " + MAX_WATERMARK + " printable characters, or null");
        }
        if (watermark != null && source.mode() == PollingSource.Mode.TIMESTAMP) {
            try {
                java.time.OffsetDateTime.parse(watermark);
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiProblem.badRequest("from must be an RFC 3339 timestamp for the timestamp watermark of "
                        + source.name() + ", not '" + AdminRequests.printable(watermark) + "'");
            }
        }
        sources.rerun(source, watermark);
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode().put("source", source.name())
                .put("status", "scheduled");
        answer.put("from", watermark);
        HttpAnswers.json(exchange, 202, answer.toString());
    }

    ObjectNode status(PollingSource source) throws SQLException {
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode()
                .put("source", source.name())
                .put("eventType", source.eventType())
                .put("url", source.url())
                .put("interval", source.interval().toString())
                .put("pageSize", source.pageSize())
                .put("watermarkMode", source.mode().name().toLowerCase(java.util.Locale.ROOT))
                .put("polling", sources.holds(source));
        sources.plannedPoll(source.name()).ifPresent(next -> answer.put("nextPollAt", next.toString()));
        sources.watermark(source.name()).ifPresentOrElse(stored -> {
            answer.put("watermark", stored.watermark());
            answer.put("windowStart", stored.windowStart());
            answer.put("windowStartedAt", text(stored.windowStartedAt()));
            answer.put("lastPollAt", text(stored.lastPollAt()));
            answer.put("lastSuccessAt", text(stored.lastSuccessAt()));
            answer.put("lastError", stored.lastError());
            answer.put("rerunPending", stored.rerunFrom() != null);
            answer.put("updatedAt", text(stored.updatedAt()));
        }, () -> answer.putNull("watermark"));
        return answer;
    }

    private PollingSource source(String name) throws ApiProblem {
        return sources.find(name).orElseThrow(() -> new ApiProblem(404, "source-not-found", "No such polling source",
                "No polling source '" + AdminRequests.printable(name) + "' (webhook sources have no watermark)"));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}

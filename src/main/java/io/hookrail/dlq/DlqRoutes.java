package io.hookrail.dlq;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter admin API: {@code GET /api/dlq} (any role), {@code POST /api/dlq/{id}/replay} and
 * {@code POST /api/dlq/replay} (operator).
 */
public class DlqRoutes extends RouteBuilder {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(DlqRoutes.class);
    private static final String PATH_PREFIX = "/api/dlq/";
    private static final String REPLAY_SUFFIX = "/replay";
    private static final Set<String> LIST_PARAMETERS = Set.of("flow", "error", "olderThan", "page", "size");

    @BeanInject
    private AdminAccess access;
    @BeanInject("jmsConnectionFactory")
    private ConnectionFactory connectionFactory;
    @PropertyInject(value = "hookrail.dlq.replayReceiveTimeoutMillis", defaultValue = "5000")
    private long replayReceiveTimeoutMillis;
    @PropertyInject(value = "hookrail.dlq.retryAfterSeconds", defaultValue = "5")
    private int retryAfterSeconds;

    private DeadLetterStore store;
    private final Clock clock = Clock.systemUTC();

    @Override
    public void configure() {
        store = new DeadLetterStore(connectionFactory, replayReceiveTimeoutMillis);

        from("platform-http:/api/dlq?httpMethodRestrict=GET")
                .routeId("dlq-list")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/dlq/replay?httpMethodRestrict=POST")
                .routeId("dlq-replay-bulk")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(this::replayBulk);

        from("platform-http:/api/dlq/{id}/replay?httpMethodRestrict=POST")
                .routeId("dlq-replay")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(this::replayOne);
    }

    /** {@code GET /api/dlq?flow=&error=&olderThan=&page=&size=}. */
    void list(Exchange exchange) throws DlqProblem, JMSException {
        Map<String, String> query = query(exchange);
        int page = integer(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = integer(query, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        Instant failedBefore = null;
        String olderThan = query.get("olderThan");
        if (olderThan != null && !olderThan.isBlank()) {
            try {
                Duration age = Duration.parse(olderThan.trim());
                if (age.isNegative()) {
                    throw DlqProblem.badRequest("olderThan must not be negative: " + olderThan);
                }
                failedBefore = Instant.now(clock).minus(age);
            } catch (DateTimeParseException e) {
                throw DlqProblem.badRequest("olderThan is not an ISO-8601 duration such as PT15M: " + olderThan);
            }
        }
        List<DeadLetter> matching = store.list(new DeadLetterQuery(blankToNull(query.get("flow")),
                blankToNull(query.get("error")), failedBefore));

        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        long from = (long) page * size;
        for (long i = from; i < Math.min(matching.size(), from + size); i++) {
            items.add(matching.get((int) i).toJson());
        }
        answer.put("page", page).put("size", size).put("total", matching.size());
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    /** {@code POST /api/dlq/{id}/replay}. */
    void replayOne(Exchange exchange) throws DlqProblem, JMSException {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        // from the path Camel matched, not the "id" header: a request header of that name must not pick it
        String id = path.startsWith(PATH_PREFIX) && path.endsWith(REPLAY_SUFFIX)
                ? decodePathSegment(path.substring(PATH_PREFIX.length(), path.length() - REPLAY_SUFFIX.length()))
                : "";
        if (!DeadLetterStore.isMessageId(id)) {
            throw DlqProblem.notFound(printable(id));
        }
        DeadLetterStore.Replay replay = store.replay(id);
        logReplay(exchange, replay);
        DeadLetter letter = replay.letter();
        HttpAnswers.json(exchange, 200, HttpAnswers.MAPPER.createObjectNode()
                .put("id", letter.id())
                .put("flow", letter.flow())
                .put("eventId", letter.eventId())
                .put("replayed", true)
                .toString());
    }

    /** {@code POST /api/dlq/replay} with {@code {"flow": "...", "error": "optional substring"}}. */
    void replayBulk(Exchange exchange) throws DlqProblem, JMSException {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw DlqProblem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw DlqProblem.badRequest("The body must be a JSON object such as {\"flow\": \"order-fulfilment\"}");
        }
        JsonNode flow = request.get("flow");
        if (flow == null || !flow.isTextual() || flow.asText().isBlank()) {
            throw DlqProblem.badRequest("flow is required: the flow whose dead letters to replay");
        }
        JsonNode error = request.get("error");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw DlqProblem.badRequest("error must be a string");
        }
        String errorText = error == null || error.isNull() ? null : blankToNull(error.asText());

        DeadLetterStore.BulkReplay bulk = store.replayAll(new DeadLetterQuery(flow.asText(), errorText, null));
        bulk.replayed().forEach(replay -> logReplay(exchange, replay));
        bulk.refused().forEach(refusal -> LOG.warn("Dead letter {} of flow {} not replayed: {}", refusal.id(),
                flow.asText(), refusal.reason()));

        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode()
                .put("flow", flow.asText())
                .put("replayed", bulk.replayed().size());
        ArrayNode ids = answer.putArray("ids");
        bulk.replayed().forEach(replay -> ids.add(replay.letter().id()));
        ArrayNode failed = answer.putArray("failed");
        bulk.refused().forEach(refusal -> failed.addObject().put("id", refusal.id()).put("reason", refusal.reason()));
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    /** The routes' {@code onException}: every failure becomes problem+json. */
    void fail(Exchange exchange) {
        if (AdminAccess.answerRefusal(exchange)) {
            return;
        }
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof DlqProblem problem) {
            HttpAnswers.problem(exchange, problem.status(), problem.type(), problem.title(), problem.getMessage(), null);
        } else if (causedBy(failure, JMSException.class)) {
            LOG.warn("Dead-letter request failed: the broker is unavailable", failure);
            HttpAnswers.problem(exchange, 503, "broker-unavailable", "Broker unavailable",
                    "The message broker cannot be reached; try again later", null)
                    .setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        } else {
            LOG.error("Dead-letter request failed", failure);
            HttpAnswers.problem(exchange, 500, "internal-error", "Internal error",
                    "The request failed; see the log for correlation id "
                            + exchange.getProperty(HttpAnswers.CORRELATION_PROPERTY, String.class), null);
        }
    }

    private void logReplay(Exchange exchange, DeadLetterStore.Replay replay) {
        DeadLetter letter = replay.letter();
        LOG.info("Dead letter {} of event {} (flow {}) replayed to {} as {} by operator '{}'", letter.id(),
                letter.eventId(), letter.flow(), replay.originQueue(), replay.replayedMessageId(),
                exchange.getProperty(AdminAccess.USER_PROPERTY, String.class));
    }

    /** The query parameters, decoded from the raw query string (not from headers, which the request could set). */
    static Map<String, String> query(Exchange exchange) throws DlqProblem {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (raw == null) {
            raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (LIST_PARAMETERS.contains(name) && parameters.putIfAbsent(name, value) != null) {
                    throw DlqProblem.badRequest("Query parameter " + name + " is given more than once");
                }
            } catch (IllegalArgumentException e) {
                throw DlqProblem.badRequest("The query string is not well-formed");
            }
        }
        return parameters;
    }

    private static int integer(Map<String, String> query, String name, int fallback, int min, int max)
            throws DlqProblem {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw DlqProblem.badRequest(name + " must be an integer from " + min + " to " + max + ": " + printable(value));
    }

    /** Decodes %XX escapes of a path segment ('+' stays '+'); null when it is not well-formed. */
    static String decodePathSegment(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

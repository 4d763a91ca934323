package io.hookrail.dlq;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.broker.EventRequester;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter admin API: {@code GET /api/dlq} and {@code GET /api/dlq/{id}} (any role),
 * {@code POST /api/dlq/{id}/replay} and {@code POST /api/dlq/replay} (operator).
 */
public class DlqRoutes extends RouteBuilder {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    private static final Logger LOG = LoggerFactory.getLogger(DlqRoutes.class);
    private static final String PATH_PREFIX = "/api/dlq/";
    private static final String REPLAY_SUFFIX = "/replay";
    private static final Set<String> LIST_PARAMETERS = Set.of("flow", "error", "olderThan", "kind", "page", "size");

    @BeanInject
    private AdminAccess access;
    @BeanInject(DeadLetterReplays.BEAN)
    private DeadLetterReplays replays;
    @PropertyInject(value = "hookrail.dlq.retryAfterSeconds", defaultValue = "5")
    private int retryAfterSeconds;

    private final Clock clock = Clock.systemUTC();

    @Override
    public void configure() {
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

        from("platform-http:/api/dlq/{id}?httpMethodRestrict=GET")
                .routeId("dlq-show")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::show);

        from("platform-http:/api/dlq/{id}/replay?httpMethodRestrict=POST")
                .routeId("dlq-replay")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(this::replayOne);
    }

    /** {@code GET /api/dlq?flow=&error=&olderThan=&kind=&page=&size=}; {@code kind} may name several, comma-separated. */
    void list(Exchange exchange) throws ApiProblem, JMSException {
        Map<String, String> query = AdminRequests.query(exchange, LIST_PARAMETERS);
        int page = AdminRequests.integer(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = AdminRequests.integer(query, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        Instant failedBefore = AdminRequests.olderThan(query, clock);
        List<DeadLetter> matching = replays.store().list(new DeadLetterQuery(
                AdminRequests.blankToNull(query.get("flow")), AdminRequests.blankToNull(query.get("error")), failedBefore,
                kinds(query.get("kind"))));

        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        long from = (long) page * size;
        for (long i = from; i < Math.min(matching.size(), from + size); i++) {
            items.add(matching.get((int) i).toJson());
        }
        answer.put("page", page).put("size", size).put("total", matching.size());
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    /** {@code GET /api/dlq/{id}}: one dead letter, as the list shows it plus its queue and origin queue. */
    void show(Exchange exchange) throws ApiProblem, JMSException {
        String id = AdminRequests.pathSegment(exchange, PATH_PREFIX, "");
        if (!DeadLetterStore.isMessageId(id)) {
            throw DlqProblems.notFound(AdminRequests.printable(id));
        }
        DeadLetter letter = replays.store().find(id).orElseThrow(() -> DlqProblems.notFound(id));
        HttpAnswers.json(exchange, 200, letter.toDetailJson().toString());
    }

    /** {@code POST /api/dlq/{id}/replay}. */
    void replayOne(Exchange exchange) throws ApiProblem, JMSException {
        String id = AdminRequests.pathSegment(exchange, PATH_PREFIX, REPLAY_SUFFIX);
        if (!DeadLetterStore.isMessageId(id)) {
            throw DlqProblems.notFound(AdminRequests.printable(id));
        }
        DeadLetterStore.Replay replay = replays.replay(id, user(exchange),
                EventRequester.adminUser(user(exchange)), correlationId(exchange));
        DeadLetter letter = replay.letter();
        HttpAnswers.json(exchange, 200, HttpAnswers.MAPPER.createObjectNode()
                .put("id", letter.id())
                .put("flow", letter.flow())
                .put("eventId", letter.eventId())
                .put("kind", letter.kind().value())
                .put("replayed", true)
                .toString());
    }

    /**
     * {@code POST /api/dlq/replay} with {@code {"flow": "...", "error": "optional substring", "kind": "optional"}}; kind
     * is one kind, several comma-separated, or an array of them. Without a kind, failed runs and failed compensations
     * are replayed and poison is refused (listed under {@code failed}); poison is replayed only when kind names it.
     */
    void replayBulk(Exchange exchange) throws ApiProblem, JMSException {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object such as {\"flow\": \"order-fulfilment\"}");
        }
        JsonNode flow = request.get("flow");
        if (flow == null || !flow.isTextual() || flow.asText().isBlank()) {
            throw ApiProblem.badRequest("flow is required: the flow whose dead letters to replay");
        }
        JsonNode error = request.get("error");
        if (error != null && !error.isNull() && !error.isTextual()) {
            throw ApiProblem.badRequest("error must be a string");
        }
        String errorText = error == null || error.isNull() ? null : AdminRequests.blankToNull(error.asText());
        DeadLetterQuery bulkQuery = new DeadLetterQuery(flow.asText(), errorText, null, kinds(request.get("kind")));

        DeadLetterStore.BulkReplay bulk = replays.replayAll(bulkQuery, user(exchange),
                EventRequester.adminUser(user(exchange)), correlationId(exchange));

        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode()
                .put("flow", flow.asText());
        ArrayNode kinds = answer.putArray("kinds");
        EnumSet.copyOf(replays.store().replayedKinds(bulkQuery)).forEach(kind -> kinds.add(kind.value()));
        answer.put("replayed", bulk.replayed().size());
        ArrayNode ids = answer.putArray("ids");
        bulk.replayed().forEach(replay -> ids.add(replay.letter().id()));
        ArrayNode failed = answer.putArray("failed");
        bulk.refused().forEach(refusal -> failed.addObject().put("id", refusal.id())
                .put("kind", refusal.kind().value()).put("reason", refusal.reason()));
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    /** The {@code kind} query parameter: null when absent or blank, else the kinds it names (comma-separated). */
    static Set<DeadLetterKind> kinds(String value) throws ApiProblem {
        try {
            return DeadLetterKind.parseList(value);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    /** The {@code kind} of a bulk replay: absent or null, a string as the query parameter, or an array of strings. */
    static Set<DeadLetterKind> kinds(JsonNode value) throws ApiProblem {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return kinds(value.asText());
        }
        if (value.isArray()) {
            Set<DeadLetterKind> kinds = EnumSet.noneOf(DeadLetterKind.class);
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw ApiProblem.badRequest("kind must be a string or an array of strings, each one of "
                            + DeadLetterKind.allowed());
                }
                kinds.add(DeadLetterKind.of(item.asText())
                        .orElseThrow(() -> ApiProblem.badRequest(DeadLetterKind.notAKind(item.asText()))));
            }
            if (kinds.isEmpty()) {
                throw ApiProblem.badRequest("kind must name at least one of " + DeadLetterKind.allowed()
                        + ", or be left out");
            }
            return kinds;
        }
        throw ApiProblem.badRequest("kind must be a string or an array of strings, each one of "
                + DeadLetterKind.allowed());
    }

    /** The routes' {@code onException}: every failure becomes problem+json. */
    void fail(Exchange exchange) {
        fail(exchange, retryAfterSeconds);
    }

    /**
     * The {@code onException} of a parking queue's API (the DLQ's, the quarantine's): the broker unavailable is a 503
     * with {@code Retry-After}, anything else as {@link AdminRequests#fail}.
     */
    public static void fail(Exchange exchange, int retryAfterSeconds) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (!(failure instanceof ApiProblem) && AdminRequests.causedBy(failure, JMSException.class)) {
            LOG.warn("Parking-queue request failed: the broker is unavailable", failure);
            HttpAnswers.problem(exchange, 503, "broker-unavailable", "Broker unavailable",
                    "The message broker cannot be reached; try again later", null)
                    .setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        } else {
            AdminRequests.fail(exchange);
        }
    }

    private static String user(Exchange exchange) {
        return exchange.getProperty(AdminAccess.USER_PROPERTY, String.class);
    }

    private static String correlationId(Exchange exchange) {
        return exchange.getProperty(CorrelationIds.PROPERTY, String.class);
    }
}

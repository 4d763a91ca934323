package io.hookrail.quality;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.jms.JMSException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.broker.EventRequester;
import io.hookrail.dlq.DeadLetter;
import io.hookrail.dlq.DeadLetterQuery;
import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.dlq.DeadLetterStore;
import io.hookrail.dlq.DlqProblems;
import io.hookrail.dlq.DlqRoutes;
import io.hookrail.dlq.ParkingQueue;
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

/**
 * The quarantine: {@code direct:quarantine}, where a flow's entry parks an event that failed its data-quality rules
 * on {@code QUARANTINE.<flow>} inside the consuming JMS transaction (the original message plus why, as a dead letter
 * goes to {@code DLQ.<flow>}), and its admin API, shaped as the DLQ's: {@code GET /api/quarantine} and
 * {@code GET /api/quarantine/{id}} (any role), {@code POST /api/quarantine/{id}/replay} and
 * {@code POST /api/quarantine/replay} (operator). A replay puts the event back on its flow's queue, whose entry checks
 * the rules again: it runs once they pass, or comes back here with the reasons of now.
 */
public class QuarantineRoutes extends RouteBuilder {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;
    private static final String PATH_PREFIX = "/api/quarantine/";
    private static final String REPLAY_SUFFIX = "/replay";
    private static final Set<String> LIST_PARAMETERS = Set.of("flow", "rule", "page", "size");

    @BeanInject
    private AdminAccess access;
    @BeanInject(Quarantine.REPLAYS_BEAN)
    private DeadLetterReplays replays;
    @PropertyInject(value = "hookrail.dlq.retryAfterSeconds", defaultValue = "5")
    private int retryAfterSeconds;

    @Override
    public void configure() {
        // inside the flow's consuming transaction: the quarantined copy and the acknowledgement commit together
        from(Quarantine.URI)
                .routeId("quarantine")
                .bean("quarantine", "describe")
                .toD("jms:queue:" + ParkingQueue.QUARANTINE.prefix() + "${exchangeProperty.flow}?deliveryPersistent=true")
                .bean("quarantine", "quarantined");

        from("platform-http:/api/quarantine?httpMethodRestrict=GET")
                .routeId("quarantine-list")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/quarantine/replay?httpMethodRestrict=POST")
                .routeId("quarantine-replay-bulk")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(this::replayBulk);

        from("platform-http:/api/quarantine/{id}?httpMethodRestrict=GET")
                .routeId("quarantine-show")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::show);

        from("platform-http:/api/quarantine/{id}/replay?httpMethodRestrict=POST")
                .routeId("quarantine-replay")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(this::replayOne);
    }

    /** {@code GET /api/quarantine?flow=&rule=&page=&size=}, oldest first; {@code rule} is a rule id, exactly. */
    void list(Exchange exchange) throws ApiProblem, JMSException {
        Map<String, String> query = AdminRequests.query(exchange, LIST_PARAMETERS);
        int page = AdminRequests.integer(query, "page", 0, 0, Integer.MAX_VALUE);
        int size = AdminRequests.integer(query, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        List<DeadLetter> matching = replays.store().list(new DeadLetterQuery(
                AdminRequests.blankToNull(query.get("flow")), null, null, null,
                AdminRequests.blankToNull(query.get("rule"))));
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        long from = (long) page * size;
        for (long i = from; i < Math.min(matching.size(), from + size); i++) {
            items.add(matching.get((int) i).toJson());
        }
        answer.put("page", page).put("size", size).put("total", matching.size());
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    /** {@code GET /api/quarantine/{id}}: one quarantined event, with its queue and the queue a replay returns it to. */
    void show(Exchange exchange) throws ApiProblem, JMSException {
        String id = id(exchange, "");
        DeadLetter letter = replays.store().find(id)
                .orElseThrow(() -> DlqProblems.notFound(ParkingQueue.QUARANTINE, id));
        HttpAnswers.json(exchange, 200, letter.toDetailJson().toString());
    }

    /**
     * {@code POST /api/quarantine/{id}/replay}. Replayed once: the event leaves the quarantine, so a second replay of
     * the id is a 404 (a copy that fails again is quarantined under a new id).
     */
    void replayOne(Exchange exchange) throws ApiProblem, JMSException {
        String id = id(exchange, REPLAY_SUFFIX);
        DeadLetterStore.Replay replay = replays.replay(id, user(exchange), EventRequester.adminUser(user(exchange)),
                correlationId(exchange));
        HttpAnswers.json(exchange, 200, replayed(replay).put("replayed", true).toString());
    }

    /** {@code POST /api/quarantine/replay} with {@code {"flow": "...", "rule": "optional rule id"}}. */
    void replayBulk(Exchange exchange) throws ApiProblem, JMSException {
        String body = exchange.getMessage().getBody(String.class);
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
        if (request == null || !request.isObject()) {
            throw ApiProblem.badRequest("The body must be a JSON object such as {\"flow\": \"refund\"}");
        }
        JsonNode flow = request.get("flow");
        if (flow == null || !flow.isTextual() || flow.asText().isBlank()) {
            throw ApiProblem.badRequest("flow is required: the flow whose quarantined events to replay");
        }
        JsonNode rule = request.get("rule");
        if (rule != null && !rule.isNull() && !rule.isTextual()) {
            throw ApiProblem.badRequest("rule must be a string: a rule id such as known:data.orderId");
        }
        String ruleId = rule == null || rule.isNull() ? null : AdminRequests.blankToNull(rule.asText());
        DeadLetterStore.BulkReplay bulk = replays.replayAll(new DeadLetterQuery(flow.asText(), null, null, null,
                ruleId), user(exchange), EventRequester.adminUser(user(exchange)), correlationId(exchange));
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode().put("flow", flow.asText());
        if (ruleId != null) {
            answer.put("rule", ruleId);
        }
        answer.put("replayed", bulk.replayed().size());
        ArrayNode ids = answer.putArray("ids");
        bulk.replayed().forEach(replay -> ids.add(replay.letter().id()));
        ArrayNode failed = answer.putArray("failed");
        bulk.refused().forEach(refusal -> failed.addObject().put("id", refusal.id()).put("reason", refusal.reason()));
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    private static ObjectNode replayed(DeadLetterStore.Replay replay) {
        DeadLetter letter = replay.letter();
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode()
                .put("id", letter.id())
                .put("flow", letter.flow())
                .put("eventId", letter.eventId());
        ArrayNode rules = answer.putArray("rules");
        letter.rules().forEach(rules::add);
        return answer;
    }

    private static String id(Exchange exchange, String suffix) throws ApiProblem {
        String id = AdminRequests.pathSegment(exchange, PATH_PREFIX, suffix);
        if (!DeadLetterStore.isMessageId(id)) {
            throw DlqProblems.notFound(ParkingQueue.QUARANTINE, AdminRequests.printable(id));
        }
        return id;
    }

    void fail(Exchange exchange) {
        DlqRoutes.fail(exchange, retryAfterSeconds);
    }

    private static String user(Exchange exchange) {
        return exchange.getProperty(AdminAccess.USER_PROPERTY, String.class);
    }

    private static String correlationId(Exchange exchange) {
        return exchange.getProperty(CorrelationIds.PROPERTY, String.class);
    }
}

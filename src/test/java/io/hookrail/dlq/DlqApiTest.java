package io.hookrail.dlq;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DlqFixture.Letter;
import io.hookrail.ops.AdminTestUsers;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.LogCapture;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/dlq} and the replays, against dead letters put on the embedded broker by hand, over real HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqApiTest {

    static final String OPERATOR = AdminTestUsers.OPERATOR;
    static final String VIEWER = AdminTestUsers.VIEWER;
    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    LogCapture log;
    HookrailInstance hookrail;
    DlqFixture dlq;

    @BeforeAll
    void start() throws Exception {
        log = LogCapture.open();
        hookrail = AdminTestUsers.apply(HookrailInstance.builder()).start();
        dlq = new DlqFixture(hookrail.brokerUrl(), hookrail.baseUrl());
    }

    @AfterAll
    void stop() throws Exception {
        if (dlq != null) {
            dlq.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
        if (log != null) {
            log.close();
        }
    }

    @BeforeEach
    void emptyQueues() throws Exception {
        dlq.clear();
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    JsonNode list(String query) throws Exception {
        HttpResponse<String> response = dlq.get("/api/dlq" + query, VIEWER);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(response.headers().firstValue("X-Correlation-Id").isPresent());
        return json(response);
    }

    static List<String> eventIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("eventId").asText()));
        return ids;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Four dead letters of two flows, failed 3 h, 2 h, 1 h and 5 min ago. */
    Map<String, String> fourLetters() throws Exception {
        Map<String, String> ids = new HashMap<>();
        ids.put("evt-b", dlq.put(Letter.of("test-flow", "evt-b", "java.net.SocketTimeoutException",
                "Read timed out calling payments", now.minus(Duration.ofHours(2)))));
        ids.put("evt-a", dlq.put(Letter.of("other-flow", "evt-a", "java.lang.IllegalStateException",
                "Invoice already cancelled", now.minus(Duration.ofHours(3)))));
        ids.put("evt-d", dlq.put(Letter.of("test-flow", "evt-d", "org.apache.camel.http.base.HttpOperationFailedException",
                "HTTP 500 from ERP", now.minus(Duration.ofMinutes(5)))));
        ids.put("evt-c", dlq.put(Letter.of("test-flow", "evt-c", "java.lang.IllegalStateException",
                "Payment TIMEOUT after capture", now.minus(Duration.ofHours(1))), Map.of(
                DeadLetters.RUN, 2, DeadLetters.POISON, "true", DeadLetters.FAILED_COMPENSATION, "true")));
        return ids;
    }

    @Test
    void listsEveryDeadLetterOldestFailureFirst() throws Exception {
        Map<String, String> ids = fourLetters();
        JsonNode page = list("");
        assertEquals(List.of("evt-a", "evt-b", "evt-c", "evt-d"), eventIds(page));
        assertEquals(4, page.get("total").asInt());
        assertEquals(0, page.get("page").asInt());
        assertEquals(50, page.get("size").asInt());

        JsonNode a = page.get("items").get(0);
        assertEquals(ids.get("evt-a"), a.get("id").asText());
        assertEquals("other-flow", a.get("flow").asText());
        assertEquals("test.event", a.get("eventType").asText());
        assertEquals("cid-evt-a", a.get("correlationId").asText());
        assertEquals("java.lang.IllegalStateException", a.get("exception").asText());
        assertEquals("Invoice already cancelled", a.get("error").asText());
        assertEquals(4, a.get("attempts").asInt());
        assertEquals(now.minus(Duration.ofHours(3)).toString(), a.get("lastFailureAt").asText());
        assertEquals(now.minus(Duration.ofHours(3)).minusSeconds(30).toString(), a.get("firstFailureAt").asText());
        assertFalse(a.get("poison").asBoolean());
        assertTrue(a.get("poison").isBoolean());
        assertFalse(a.get("failedCompensation").asBoolean());
        assertEquals(1, a.get("run").asInt(), "a dead letter without a run number is of run 1");
        assertEquals("failed-run", a.get("kind").asText(), "a dead letter written without a kind: from its flags");
        assertTrue(a.get("stepsDone").isArray());
        assertEquals(0, a.get("stepsDone").size());

        JsonNode c = page.get("items").get(2);
        assertTrue(c.get("poison").asBoolean());
        assertTrue(c.get("failedCompensation").asBoolean());
        assertEquals(2, c.get("run").asInt());
        assertTrue(c.get("run").isInt());
        assertEquals("poison", c.get("kind").asText(), "poison first, as the writer decides");
    }

    @Test
    void filtersByFlowErrorAndAge() throws Exception {
        fourLetters();
        assertEquals(List.of("evt-b", "evt-c", "evt-d"), eventIds(list("?flow=test-flow")));
        assertEquals(List.of("evt-a"), eventIds(list("?flow=other-flow")));
        assertEquals(List.of(), eventIds(list("?flow=test")), "the flow matches exactly");
        // the failure message, ignoring case
        assertEquals(List.of("evt-b", "evt-c"), eventIds(list("?error=timeout")));
        // or the exception class
        assertEquals(List.of("evt-a", "evt-c"), eventIds(list("?error=illegalstate")));
        assertEquals(List.of("evt-d"), eventIds(list("?error=" + encode("HTTP 500"))));
        assertEquals(List.of("evt-a", "evt-b"), eventIds(list("?olderThan=PT90M")));
        assertEquals(List.of("evt-a", "evt-b", "evt-c"), eventIds(list("?olderThan=PT30M")));
        assertEquals(List.of("evt-b"), eventIds(list("?flow=test-flow&error=TIMEOUT&olderThan=PT90M")));
        JsonNode none = list("?olderThan=P1D");
        assertEquals(0, none.get("total").asInt());
        assertEquals(0, none.get("items").size());
    }

    @Test
    void pagesThroughTheOrderedList() throws Exception {
        for (int i = 0; i < 5; i++) {
            dlq.put(Letter.of("test-flow", "evt-" + i, "java.io.IOException", "down",
                    now.minus(Duration.ofMinutes(50 - i))));
        }
        JsonNode first = list("?size=2");
        assertEquals(List.of("evt-0", "evt-1"), eventIds(first));
        assertEquals(5, first.get("total").asInt());
        assertEquals(2, first.get("size").asInt());
        assertEquals(List.of("evt-2", "evt-3"), eventIds(list("?size=2&page=1")));
        JsonNode last = list("?size=2&page=2");
        assertEquals(List.of("evt-4"), eventIds(last));
        assertEquals(2, last.get("page").asInt());
        assertEquals(List.of(), eventIds(list("?size=2&page=3")));
        assertEquals(5, list("?size=500").get("items").size());
    }

    @Test
    void refusesBadQueryParameters() throws Exception {
        for (String query : List.of("?size=0", "?size=501", "?size=ten", "?page=-1", "?olderThan=15m",
                "?olderThan=-PT5M", "?page=1&page=2")) {
            HttpResponse<String> response = dlq.get("/api/dlq" + query, VIEWER);
            assertEquals(400, response.statusCode(), query);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals(400, json(response).get("status").asInt());
        }
    }

    @Test
    void replaysOneDeadLetterToItsFlowQueueInOneMove() throws Exception {
        Map<String, Object> extra = new HashMap<>(Map.of(DeadLetters.RUN, 2, "tenant", "acme", "priorityHint", 7L));
        String id = dlq.put(Letter.of("test-flow", "evt-replay", "java.net.SocketTimeoutException", "Read timed out",
                now.minusSeconds(60)), extra);
        String other = dlq.put(Letter.of("test-flow", "evt-stays", "java.io.IOException", "down", now));

        HttpResponse<String> response = dlq.post("/api/dlq/" + id + "/replay", OPERATOR, null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals(id, answer.get("id").asText());
        assertEquals("test-flow", answer.get("flow").asText());
        assertEquals("evt-replay", answer.get("eventId").asText());
        assertEquals("failed-run", answer.get("kind").asText());
        assertTrue(answer.get("replayed").asBoolean());

        List<Message> replayed = dlq.drain(DlqFixture.ORIGIN_TEST);
        assertEquals(1, replayed.size());
        TextMessage message = (TextMessage) replayed.get(0);
        assertTrue(message.getText().contains("\"id\":\"evt-replay\""));
        assertTrue(message.getText().contains("\u00e9\u4e2d"), "the body was not copied as it is");
        assertEquals("evt-replay", message.getStringProperty(EventTopics.EVENT_ID_HEADER));
        assertEquals("test.event", message.getStringProperty(EventTopics.EVENT_TYPE_HEADER));
        assertEquals("shop", message.getStringProperty(EventTopics.EVENT_SOURCE_HEADER));
        assertEquals("cid-evt-replay", message.getStringProperty(EventTopics.CORRELATION_ID_HEADER));
        assertEquals("acme", message.getStringProperty("tenant"));
        assertEquals(7L, message.getObjectProperty("priorityHint"), "property types are kept");
        assertEquals(3, message.getIntProperty(DeadLetters.RUN));
        assertEquals(id, message.getStringProperty(DeadLetterStore.REPLAYED_FROM));
        assertEquals("failed-run", message.getStringProperty(DeadLetters.REPLAYED_KIND));
        assertEquals(DeliveryMode.PERSISTENT, message.getJMSDeliveryMode());
        for (String failure : DeadLetterStore.FAILURE_PROPERTIES) {
            assertFalse(message.propertyExists(failure), failure + " was replayed");
        }

        // gone from the dead letters; the other one stays
        JsonNode left = list("");
        assertEquals(List.of("evt-stays"), eventIds(left));
        assertEquals(other, left.get("items").get(0).get("id").asText());
        // and it cannot be replayed twice
        assertEquals(404, dlq.post("/api/dlq/" + id + "/replay", OPERATOR, null).statusCode());

        List<LogEvent> lines = log.events().stream()
                .filter(e -> e.getLevel() == Level.INFO && e.getMessage().getFormattedMessage().contains(id)
                        && e.getMessage().getFormattedMessage().contains("replayed")).toList();
        assertEquals(1, lines.size());
        String line = lines.get(0).getMessage().getFormattedMessage();
        assertTrue(line.contains("operator 'operator'") && line.contains("evt-replay"), line);

        // and the audit trail says who replayed what
        JsonNode audit = MAPPER.readTree(dlq.get("/api/audit?action=dlq.replay&subject=test-flow/evt-replay", OPERATOR).body());
        assertEquals(1, audit.path("total").asInt(), audit.toString());
        JsonNode entry = audit.path("items").get(0);
        assertEquals("operator", entry.path("actor").asText());
        assertEquals(id, entry.path("detail").path("deadLetterId").asText());
    }

    @Test
    void aDeadLetterWithoutARunNumberIsReplayedAsRunTwo() throws Exception {
        String id = dlq.put(Letter.of("other-flow", "evt-first", "java.io.IOException", "down", now));
        // the id's colons may come percent-encoded
        assertEquals(200, dlq.post("/api/dlq/" + id.replace(":", "%3A") + "/replay", OPERATOR, null).statusCode());
        TextMessage message = (TextMessage) dlq.drain(DlqFixture.ORIGIN_OTHER).get(0);
        assertEquals(2, message.getIntProperty(DeadLetters.RUN));
        assertEquals("evt-first", message.getStringProperty(EventTopics.EVENT_ID_HEADER));
    }

    @Test
    void unknownOrMalformedIdsAre404() throws Exception {
        dlq.put(Letter.of("test-flow", "evt-x", "java.io.IOException", "down", now));
        for (String id : List.of("ID:no-such-host-1-1:1:1:1:1", "nope", encode("ID:x' OR JMSMessageID LIKE '%"),
                encode("ID:x'"))) {
            HttpResponse<String> response = dlq.post("/api/dlq/" + id + "/replay", OPERATOR, null);
            assertEquals(404, response.statusCode(), id);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertEquals("urn:hookrail:problem:dead-letter-not-found", json(response).get("type").asText());
        }
        assertEquals(1, list("").get("total").asInt(), "a refused replay moved something");
    }

    @Test
    void aDeadLetterWithoutOriginQueueStaysAndIs409() throws Exception {
        Map<String, Object> noOrigin = new HashMap<>();
        noOrigin.put(DeadLetters.ORIGIN_QUEUE, null);
        String id = dlq.put(Letter.of("test-flow", "evt-lost", "java.io.IOException", "down", now), noOrigin);
        HttpResponse<String> response = dlq.post("/api/dlq/" + id + "/replay", OPERATOR, null);
        assertEquals(409, response.statusCode(), response.body());
        assertEquals(List.of("evt-lost"), eventIds(list("")));
    }

    @Test
    void replaysAFlowInBulkByError() throws Exception {
        Map<String, String> letters = fourLetters();
        String extra = dlq.put(Letter.of("test-flow", "evt-e", "java.net.SocketTimeoutException", "connect timeout",
                now.minus(Duration.ofMinutes(10))));

        HttpResponse<String> response = dlq.post("/api/dlq/replay", OPERATOR,
                "{\"flow\": \"test-flow\", \"error\": \"TIMEOUT\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals("test-flow", answer.get("flow").asText());
        assertEquals(2, answer.get("replayed").asInt());
        List<String> ids = new ArrayList<>();
        answer.get("ids").forEach(id -> ids.add(id.asText()));
        assertEquals(2, ids.size());
        assertTrue(ids.contains(extra));
        // evt-c matches too, but it is poison and the request named no kind
        assertEquals(1, answer.get("failed").size());
        assertEquals(letters.get("evt-c"), answer.get("failed").get(0).get("id").asText());
        assertEquals("poison", answer.get("failed").get(0).get("kind").asText());

        List<String> replayedEvents = new ArrayList<>();
        for (Message m : dlq.drain(DlqFixture.ORIGIN_TEST)) {
            replayedEvents.add(m.getStringProperty(EventTopics.EVENT_ID_HEADER));
            assertTrue(ids.contains(m.getStringProperty(DeadLetterStore.REPLAYED_FROM)));
        }
        Collections.sort(replayedEvents);
        assertEquals(List.of("evt-b", "evt-e"), replayedEvents);
        assertEquals(List.of("evt-a", "evt-c", "evt-d"), eventIds(list("")));

        // the rest of the flow, without an error filter; the other flow is left alone, and the poison stays
        JsonNode rest = json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\"}"));
        assertEquals(1, rest.get("replayed").asInt());
        assertEquals(List.of("evt-a", "evt-c"), eventIds(list("")));
        assertEquals(1, dlq.drain(DlqFixture.ORIGIN_TEST).size());
        assertTrue(dlq.drain(DlqFixture.ORIGIN_OTHER).isEmpty());

        JsonNode nothing = json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"no-such-flow\"}"));
        assertEquals(0, nothing.get("replayed").asInt());
        assertEquals(0, nothing.get("ids").size());
    }

    /** A failed run, a failed compensation and a poison event of test-flow, and a poison event of other-flow. */
    Map<String, String> lettersOfEachKind() throws Exception {
        Map<String, String> ids = new HashMap<>();
        ids.put("run", dlq.put(Letter.of("test-flow", "evt-run", "java.io.IOException", "ERP answered 503",
                now.minus(Duration.ofMinutes(40))), DeadLetterKind.FAILED_RUN, "invoice.create,payment.capture"));
        ids.put("compensation", dlq.put(Letter.of("test-flow", "evt-comp", "java.io.IOException",
                "refund answered 503", now.minus(Duration.ofMinutes(30))), DeadLetterKind.FAILED_COMPENSATION,
                "invoice.create"));
        ids.put("poison", dlq.put(Letter.of("test-flow", "evt-poison", "io.hookrail.flow.PoisonEventException",
                "message is not JSON", now.minus(Duration.ofMinutes(20))), DeadLetterKind.POISON, ""));
        ids.put("other", dlq.put(Letter.of("other-flow", "evt-other", "io.hookrail.flow.PoisonEventException",
                "data violates its contract", now.minus(Duration.ofMinutes(10))), DeadLetterKind.POISON, ""));
        return ids;
    }

    static List<String> stepsDone(JsonNode item) {
        List<String> steps = new ArrayList<>();
        item.get("stepsDone").forEach(step -> steps.add(step.asText()));
        return steps;
    }

    static List<String> ids(JsonNode array, String field) {
        List<String> ids = new ArrayList<>();
        array.forEach(item -> ids.add(field == null ? item.asText() : item.get(field).asText()));
        return ids;
    }

    @Test
    void listsEachLettersKindAndStepsDone() throws Exception {
        Map<String, String> ids = lettersOfEachKind();
        Map<String, Object> legacy = new HashMap<>(Map.of(DeadLetters.FAILED_COMPENSATION, "true"));
        String older = dlq.put(Letter.of("test-flow", "evt-legacy", "java.io.IOException", "refund refused",
                now.minus(Duration.ofMinutes(5))), legacy);

        JsonNode items = list("").get("items");
        assertEquals(List.of("evt-run", "evt-comp", "evt-poison", "evt-other", "evt-legacy"), eventIds(list("")));
        assertEquals(List.of("failed-run", "failed-compensation", "poison", "poison", "failed-compensation"),
                ids(items, "kind"));
        assertEquals(List.of("invoice.create", "payment.capture"), stepsDone(items.get(0)));
        assertEquals(List.of("invoice.create"), stepsDone(items.get(1)));
        assertEquals(List.of(), stepsDone(items.get(2)));
        assertEquals(List.of(), stepsDone(items.get(4)), "a dead letter written before there were steps done");
        assertTrue(items.get(1).get("failedCompensation").asBoolean());
        assertTrue(items.get(2).get("poison").asBoolean());
        assertFalse(items.get(0).get("poison").asBoolean());

        // one dead letter on its own: the same, plus where it is and where a replay puts it
        HttpResponse<String> response = dlq.get("/api/dlq/" + ids.get("run"), VIEWER);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode one = json(response);
        assertEquals(ids.get("run"), one.get("id").asText());
        assertEquals("failed-run", one.get("kind").asText());
        assertEquals(List.of("invoice.create", "payment.capture"), stepsDone(one));
        assertEquals("ERP answered 503", one.get("error").asText());
        assertEquals("DLQ.test-flow", one.get("queue").asText());
        assertEquals(DlqFixture.ORIGIN_TEST, one.get("originQueue").asText());
        assertEquals("failed-compensation", json(dlq.get("/api/dlq/" + older.replace(":", "%3A"), VIEWER))
                .get("kind").asText());
        for (String unknown : List.of("ID:no-such-host-1-1:1:1:1:1", "nope", encode("ID:x' OR JMSMessageID LIKE '%"))) {
            HttpResponse<String> missing = dlq.get("/api/dlq/" + unknown, VIEWER);
            assertEquals(404, missing.statusCode(), unknown);
            assertEquals("application/problem+json", missing.headers().firstValue("Content-Type").orElse(""));
            assertEquals("urn:hookrail:problem:dead-letter-not-found", json(missing).get("type").asText());
        }
    }

    @Test
    void filtersByKind() throws Exception {
        lettersOfEachKind();
        assertEquals(List.of("evt-poison", "evt-other"), eventIds(list("?kind=poison")));
        assertEquals(List.of("evt-comp"), eventIds(list("?kind=failed-compensation")));
        assertEquals(List.of("evt-run", "evt-poison", "evt-other"), eventIds(list("?kind=" + encode("failed-run,poison"))));
        assertEquals(List.of("evt-poison"), eventIds(list("?kind=poison&flow=test-flow")));
        assertEquals(List.of("evt-comp"), eventIds(list("?kind=failed-compensation&error=refund")));
        assertEquals(4, list("?kind=").get("total").asInt(), "an empty kind names none");
        assertEquals(1, list("?kind=failed-run").get("total").asInt());

        for (String query : List.of("?kind=bogus", "?kind=failed", "?kind=" + encode("poison,"),
                "?kind=" + encode("poison,nope"), "?kind=poison&kind=failed-run")) {
            HttpResponse<String> response = dlq.get("/api/dlq" + query, VIEWER);
            assertEquals(400, response.statusCode(), query);
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            JsonNode problem = json(response);
            assertEquals(400, problem.get("status").asInt());
            if (!query.contains("&")) {
                assertTrue(problem.get("detail").asText().contains("failed-run, failed-compensation, poison"),
                        problem.toString());
            }
        }
    }

    @Test
    void bulkReplaySkipsPoisonUnlessTheRequestNamesIt() throws Exception {
        Map<String, String> ids = lettersOfEachKind();

        // no kind: the failed run and the failed compensation; the poison event is listed as not replayed
        JsonNode answer = json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\"}"));
        assertEquals(List.of("failed-run", "failed-compensation"), ids(answer.get("kinds"), null));
        assertEquals(2, answer.get("replayed").asInt());
        assertEquals(List.of(ids.get("run"), ids.get("compensation")), ids(answer.get("ids"), null));
        assertEquals(1, answer.get("failed").size());
        JsonNode refused = answer.get("failed").get(0);
        assertEquals(ids.get("poison"), refused.get("id").asText());
        assertEquals("poison", refused.get("kind").asText());
        assertTrue(refused.get("reason").asText().contains("kind poison"), refused.toString());
        Map<String, String> replayedKinds = new HashMap<>();
        for (Message m : dlq.drain(DlqFixture.ORIGIN_TEST)) {
            replayedKinds.put(m.getStringProperty(DeadLetterStore.REPLAYED_FROM),
                    m.getStringProperty(DeadLetters.REPLAYED_KIND));
        }
        assertEquals(Map.of(ids.get("run"), "failed-run", ids.get("compensation"), "failed-compensation"),
                replayedKinds);
        assertEquals(List.of("evt-poison", "evt-other"), eventIds(list("")));

        // another kind named: still not the poison, which is listed again
        JsonNode runs = json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\", \"kind\": \"failed-run\"}"));
        assertEquals(List.of("failed-run"), ids(runs.get("kinds"), null));
        assertEquals(0, runs.get("replayed").asInt());
        assertEquals(List.of(ids.get("poison")), ids(runs.get("failed"), "id"));

        // named: replayed, as poison
        JsonNode poison = json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\", \"kind\": \"poison\"}"));
        assertEquals(List.of("poison"), ids(poison.get("kinds"), null));
        assertEquals(List.of(ids.get("poison")), ids(poison.get("ids"), null));
        assertEquals(0, poison.get("failed").size());
        List<Message> replayed = dlq.drain(DlqFixture.ORIGIN_TEST);
        assertEquals(1, replayed.size());
        assertEquals("poison", replayed.get(0).getStringProperty(DeadLetters.REPLAYED_KIND));

        // several kinds, as an array; the other flow was left alone until now
        assertEquals(List.of("evt-other"), eventIds(list("")));
        JsonNode other = json(dlq.post("/api/dlq/replay", OPERATOR,
                "{\"flow\": \"other-flow\", \"kind\": [\"failed-run\", \"poison\"]}"));
        assertEquals(List.of(ids.get("other")), ids(other.get("ids"), null));
        assertEquals(0, list("").get("total").asInt());
        assertEquals(1, dlq.drain(DlqFixture.ORIGIN_OTHER).size());
    }

    @Test
    void bulkReplayRefusesAKindThatIsNone() throws Exception {
        lettersOfEachKind();
        for (String kind : List.of("\"bogus\"", "\"poison,\"", "3", "true", "{}", "[]", "[\"poison\", 3]",
                "[\"poison\", \"bogus\"]", "[\"\"]")) {
            String body = "{\"flow\": \"test-flow\", \"kind\": " + kind + "}";
            HttpResponse<String> response = dlq.post("/api/dlq/replay", OPERATOR, body);
            assertEquals(400, response.statusCode(), body + ": " + response.body());
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            assertTrue(json(response).get("detail").asText().contains("failed-run, failed-compensation, poison"),
                    body + ": " + response.body());
        }
        assertEquals(4, list("").get("total").asInt(), "a refused bulk replay moved something");
        // null and "" name no kind, as if it were left out
        assertEquals(2, json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\", \"kind\": null}"))
                .get("replayed").asInt());
        assertEquals(0, json(dlq.post("/api/dlq/replay", OPERATOR, "{\"flow\": \"test-flow\", \"kind\": \"\"}"))
                .get("replayed").asInt());
    }

    @Test
    void aReplayedCopyCarriesTheKindItCameFromAndNotTheFailure() throws Exception {
        // a dead letter of a run that was itself a replay: it carries that replay's properties
        String id = dlq.put(Letter.of("test-flow", "evt-undo", "java.io.IOException", "refund answered 503", now),
                DeadLetterKind.FAILED_COMPENSATION, "invoice.create,payment.capture", Map.of(DeadLetters.RUN, 2,
                        DeadLetters.REPLAYED_KIND, "failed-run", DeadLetterStore.REPLAYED_FROM, "ID:earlier-1:1:1:1:1"));

        JsonNode answer = json(dlq.post("/api/dlq/" + id + "/replay", OPERATOR, null));
        assertEquals("failed-compensation", answer.get("kind").asText());

        Message copy = dlq.drain(DlqFixture.ORIGIN_TEST).get(0);
        assertEquals("failed-compensation", copy.getStringProperty(DeadLetters.REPLAYED_KIND));
        assertEquals(id, copy.getStringProperty(DeadLetterStore.REPLAYED_FROM));
        assertEquals(3, copy.getIntProperty(DeadLetters.RUN));
        assertTrue(DeadLetterStore.FAILURE_PROPERTIES.containsAll(List.of(DeadLetters.KIND, DeadLetters.STEPS_DONE)));
        for (String failure : DeadLetterStore.FAILURE_PROPERTIES) {
            assertFalse(copy.propertyExists(failure), failure + " was replayed");
        }

        // one by one, a poison event may be replayed; one written before kinds gets its kind from its flags
        String poison = dlq.put(Letter.of("test-flow", "evt-old-poison", "io.hookrail.flow.PoisonEventException",
                "message is not JSON", now), Map.of(DeadLetters.POISON, "true"));
        assertEquals(200, dlq.post("/api/dlq/" + poison + "/replay", OPERATOR, null).statusCode());
        assertEquals("poison", dlq.drain(DlqFixture.ORIGIN_TEST).get(0).getStringProperty(DeadLetters.REPLAYED_KIND));
    }

    @Test
    void bulkReplayNeedsAFlowAndJson() throws Exception {
        for (String body : new String[] {null, "", "{}", "{\"error\": \"x\"}", "{\"flow\": \"\"}", "{\"flow\": 3}",
                "{\"flow\": \"test-flow\", \"error\": 5}", "[\"test-flow\"]", "{\"flow\": \"test-flow\"", "not json"}) {
            HttpResponse<String> response = dlq.post("/api/dlq/replay", OPERATOR, body);
            assertEquals(400, response.statusCode(), String.valueOf(body));
            assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
            JsonNode problem = json(response);
            assertEquals(400, problem.get("status").asInt());
            assertNotNull(problem.get("detail"));
        }
    }

    @Test
    void neverLogsATokenAndWarnsAboutTheDemoToken() throws Exception {
        dlq.get("/api/dlq", "wrong-token-" + OPERATOR);
        dlq.get("/api/dlq", VIEWER);
        for (LogEvent event : log.events()) {
            String line = event.getMessage().getFormattedMessage();
            for (String token : List.of(AdminTestUsers.VIEWER, AdminTestUsers.OPERATOR, AdminTestUsers.APPROVER,
                    AdminTestUsers.APPROVER2)) {
                assertFalse(line.contains(token), "a token was logged: " + line);
            }
        }
        List<String> warnings = log.events().stream().filter(e -> e.getLevel() == Level.WARN)
                .map(e -> e.getMessage().getFormattedMessage()).filter(m -> m.contains("demo token")).toList();
        assertEquals(List.of("Admin user 'approver2' uses a published demo token: set "
                + "HOOKRAIL_ADMIN_USER_APPROVER2_TOKEN before production"), warnings);
    }
}

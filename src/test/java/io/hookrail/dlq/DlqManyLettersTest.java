package io.hookrail.dlq;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.jms.Message;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.dlq.DlqFixture.Letter;
import io.hookrail.ops.AdminTestUsers;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * More dead letters on one queue than ActiveMQ's {@code maxBrowsePageSize} (400 by default): the list, the MBean's
 * depths, the {@code hookrail_dlq_depth} gauge and a bulk replay see every one of them on Hookrail's own broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqManyLettersTest {

    static final int FAILED_RUNS = 450;
    static final int POISON = 20;
    static final int ALL = FAILED_RUNS + POISON;

    final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    final MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    HookrailInstance hookrail;
    DlqFixture dlq;
    ObjectName deadLetters;

    @BeforeAll
    void start() throws Exception {
        hookrail = AdminTestUsers.apply(HookrailInstance.builder())
                .property("hookrail.metrics.sampleIntervalMillis", "300").start();
        dlq = new DlqFixture(hookrail.brokerUrl(), hookrail.baseUrl());
        deadLetters = hookrail.serviceMBean("DeadLetterQueues");
        dlq.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (dlq != null) {
            dlq.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = dlq.get(path, AdminTestUsers.VIEWER);
        assertEquals(200, response.statusCode(), response.body());
        return MAPPER.readTree(response.body());
    }

    double gauge() {
        return MetricsScrape.of(hookrail.managementUrl()).value("hookrail_dlq_depth", "flow", "test-flow");
    }

    @Test
    void everyDeadLetterIsListedCountedAndReplayedBeyondTheBrowsePageSize() throws Exception {
        // every one on DLQ.test-flow, each a second apart, the poison ones in between
        for (int i = 0; i < ALL; i++) {
            Letter letter = Letter.of("test-flow", "evt-" + i, "java.io.IOException", "ERP answered 503",
                    now.minus(Duration.ofSeconds(ALL - i)));
            dlq.put(letter, i % 23 == 0 && i / 23 < POISON ? DeadLetterKind.POISON : DeadLetterKind.FAILED_RUN,
                    "invoice.create");
        }

        // the list
        JsonNode all = get("/api/dlq?size=500");
        assertEquals(ALL, all.get("total").asInt());
        assertEquals(ALL, all.get("items").size());
        Set<String> listed = new HashSet<>(all.get("items").findValuesAsText("eventId"));
        assertEquals(ALL, listed.size(), "a dead letter was listed twice or not at all");
        assertEquals("evt-" + (ALL - 1), all.get("items").get(ALL - 1).get("eventId").asText(), "the newest is last");
        assertEquals(ALL - 400, get("/api/dlq?size=400&page=1").get("items").size());
        assertEquals(FAILED_RUNS, get("/api/dlq?kind=failed-run").get("total").asInt());
        assertEquals(POISON, get("/api/dlq?kind=poison&flow=test-flow").get("total").asInt());

        // the MBean and the gauge
        assertEquals(ALL, jmx.getAttribute(deadLetters, "TotalDepth"));
        assertEquals(ALL, ((Map<?, ?>) jmx.getAttribute(deadLetters, "DepthByFlow")).get("test-flow"));
        assertEquals(Map.of("failed-run", FAILED_RUNS, "failed-compensation", 0, "poison", POISON),
                jmx.getAttribute(deadLetters, "DepthByKind"));
        assertEquals(ALL, jmx.invoke(deadLetters, "dlqDepth", new Object[] {"test-flow"},
                new String[] {String.class.getName()}));
        assertTrue(Await.until(() -> gauge() == ALL), "hookrail_dlq_depth{flow=test-flow} is " + gauge());

        // a bulk replay moves every failed run, and names every poison event it left
        HttpResponse<String> response = dlq.post("/api/dlq/replay", AdminTestUsers.OPERATOR, "{\"flow\": \"test-flow\"}");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode bulk = MAPPER.readTree(response.body());
        assertEquals(FAILED_RUNS, bulk.get("replayed").asInt());
        assertEquals(FAILED_RUNS, new HashSet<>(toList(bulk.get("ids"))).size());
        assertEquals(POISON, bulk.get("failed").size());
        assertEquals(Set.of("poison"), new HashSet<>(bulk.get("failed").findValuesAsText("kind")));

        List<Message> replayed = dlq.drain(DlqFixture.ORIGIN_TEST);
        assertEquals(FAILED_RUNS, replayed.size());
        Set<String> replayedFrom = new HashSet<>();
        for (Message message : replayed) {
            replayedFrom.add(message.getStringProperty(DeadLetterStore.REPLAYED_FROM));
            assertEquals("failed-run", message.getStringProperty(DeadLetters.REPLAYED_KIND));
        }
        assertEquals(new HashSet<>(toList(bulk.get("ids"))), replayedFrom);

        assertEquals(POISON, get("/api/dlq").get("total").asInt());
        assertEquals(POISON, jmx.getAttribute(deadLetters, "TotalDepth"));
        assertTrue(Await.until(() -> gauge() == POISON), "hookrail_dlq_depth{flow=test-flow} is " + gauge());
    }

    static List<String> toList(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}

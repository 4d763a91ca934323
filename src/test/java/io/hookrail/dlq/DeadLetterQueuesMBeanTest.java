package io.hookrail.dlq;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.jms.Message;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DlqFixture.Letter;
import io.hookrail.ops.AdminTestUsers;
import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code DeadLetterQueues} MBean through the platform MBean server, as Hawtio reaches it through Jolokia: depth
 * per flow, and a replay that moves a flow's dead letters back to its queue and audits them as actor {@code jmx}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterQueuesMBeanTest {

    static final String FLOW = "invoice-paid";
    static final String FLOW_QUEUE = EventTopics.flowQueue(FLOW, "invoice.paid");

    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    HookrailInstance hookrail;
    DlqFixture dlq;
    ObjectName deadLetters;

    @BeforeAll
    void start() throws Exception {
        hookrail = AdminTestUsers.apply(HookrailInstance.builder()).start();
        dlq = new DlqFixture(hookrail.brokerUrl(), hookrail.baseUrl());
        deadLetters = hookrail.serviceMBean("DeadLetterQueues");
        // the flow stays put, so replayed messages wait on its queue to be counted
        hookrail.camelContext().getRouteController().stopRoute(FLOW);
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

    @BeforeEach
    void emptyQueues() throws Exception {
        dlq.clear();
        dlq.drain(FLOW_QUEUE);
    }

    @Test
    void depthByFlowListsEveryFlowAndCountsItsDeadLetters() throws Exception {
        put("evt-depth-1", "ERP answered 503");
        put("evt-depth-2", "ERP answered 503");

        assertEquals(Map.of("customer-deletion", 0, "order-fulfilment", 0, "invoice-paid", 2, "lead-qualified", 0,
                "refund", 0),
                jmx.getAttribute(deadLetters, "DepthByFlow"));
        assertEquals(2, jmx.getAttribute(deadLetters, "TotalDepth"));
        assertEquals(2, dlqDepth(FLOW));
        assertEquals(0, dlqDepth("refund"));
    }

    @Test
    void replayFlowMovesTheMatchingDeadLettersBackToTheFlowQueueAndAuditsThemAsJmx() throws Exception {
        String first = put("evt-jmx-1", "ERP answered 503");
        String second = put("evt-jmx-2", "ERP answered 503");
        String other = put("evt-jmx-3", "Read timed out");
        assertEquals(3, dlqDepth(FLOW));

        Object answer = jmx.invoke(deadLetters, "replayFlow", new Object[] {FLOW, "503"},
                new String[] {String.class.getName(), String.class.getName()});

        assertEquals("Replayed 2 dead letter(s) of flow " + FLOW, answer);
        assertEquals(1, dlqDepth(FLOW));
        assertEquals(1, ((Map<?, ?>) jmx.getAttribute(deadLetters, "DepthByFlow")).get(FLOW));
        List<Message> onFlowQueue = dlq.drain(FLOW_QUEUE);
        Set<String> replayedFrom = onFlowQueue.stream().map(DeadLetterQueuesMBeanTest::replayedFrom)
                .collect(Collectors.toSet());
        assertEquals(Set.of(first, second), replayedFrom);
        assertEquals(List.of(other), dlq.drain(DeadLetters.queue(FLOW)).stream()
                .map(DeadLetterQueuesMBeanTest::messageId).toList());

        JsonNode audit = MAPPER.readTree(dlq.get("/api/audit?action=dlq.replay&actor=jmx", AdminTestUsers.OPERATOR)
                .body());
        // (another test of this class replays through JMX too)
        Set<String> subjects = audit.path("items").findValues("subject").stream().map(JsonNode::asText)
                .filter(subject -> subject.contains("/evt-jmx-")).collect(Collectors.toSet());
        assertEquals(Set.of(FLOW + "/evt-jmx-1", FLOW + "/evt-jmx-2"), subjects);
    }

    @Test
    void replayFlowWithoutAFlowReplaysNothing() throws Exception {
        put("evt-no-flow", "ERP answered 503");

        Exception refused = assertThrows(Exception.class, () -> jmx.invoke(deadLetters, "replayFlow",
                new Object[] {" ", null}, new String[] {String.class.getName(), String.class.getName()}));

        assertTrue(String.valueOf(rootCause(refused).getMessage()).contains("flow is required"), refused.toString());
        assertEquals(1, dlqDepth(FLOW));
    }

    @Test
    void showsEachLettersKindAndStepsDoneAndReplaysPoisonOnlyWhenNamed() throws Exception {
        Instant now = Instant.now();
        put("evt-kind-run", "ERP answered 503", DeadLetterKind.FAILED_RUN, "", now.minusSeconds(30));
        String poison = put("evt-kind-poison", "message is not JSON", DeadLetterKind.POISON, "", now.minusSeconds(20));
        String compensation = put("evt-kind-comp", "ERP answered 503", DeadLetterKind.FAILED_COMPENSATION,
                "invoice.markPaid,note.add", now.minusSeconds(10));

        assertEquals(Map.of("failed-run", 1, "failed-compensation", 1, "poison", 1),
                jmx.getAttribute(deadLetters, "DepthByKind"));
        JsonNode listed = MAPPER.readTree(listDeadLetters(FLOW, ""));
        assertEquals(3, listed.size());
        assertEquals(List.of("evt-kind-run", "evt-kind-poison", "evt-kind-comp"),
                listed.findValues("eventId").stream().map(JsonNode::asText).toList());
        assertEquals(List.of("failed-run", "poison", "failed-compensation"),
                listed.findValues("kind").stream().map(JsonNode::asText).toList());
        JsonNode steps = listed.get(2).get("stepsDone");
        assertTrue(steps.isArray());
        assertEquals(List.of("invoice.markPaid", "note.add"), List.of(steps.get(0).asText(), steps.get(1).asText()));
        assertEquals(0, listed.get(0).get("stepsDone").size());
        JsonNode poisonOnly = MAPPER.readTree(listDeadLetters(null, "poison"));
        assertEquals(1, poisonOnly.size());
        assertEquals(poison, poisonOnly.get(0).get("id").asText());

        // without a kind: everything but the poison, which the answer names
        Object answer = jmx.invoke(deadLetters, "replayFlow", new Object[] {FLOW, ""},
                new String[] {String.class.getName(), String.class.getName()});
        assertTrue(String.valueOf(answer).startsWith("Replayed 2 dead letter(s) of flow " + FLOW + "; not replayed "
                + poison + ": it is poison"), String.valueOf(answer));
        assertEquals(1, dlqDepth(FLOW));
        Map<String, String> replayedKinds = dlq.drain(FLOW_QUEUE).stream().collect(Collectors.toMap(
                DeadLetterQueuesMBeanTest::replayedFrom, m -> property(m, DeadLetters.REPLAYED_KIND)));
        assertEquals("failed-compensation", replayedKinds.get(compensation));
        assertEquals(2, replayedKinds.size());

        // a bad kind is refused, naming the good ones
        Exception refused = assertThrows(Exception.class, () -> replayFlowOfKind(FLOW, "", "bogus"));
        assertTrue(String.valueOf(rootCause(refused).getMessage()).contains("failed-run, failed-compensation, poison"),
                refused.toString());
        assertEquals(1, dlqDepth(FLOW));

        assertEquals("Replayed 1 dead letter(s) of flow " + FLOW, replayFlowOfKind(FLOW, null, "poison"));
        assertEquals(0, dlqDepth(FLOW));
        assertEquals(List.of("poison"), dlq.drain(FLOW_QUEUE).stream()
                .map(m -> property(m, DeadLetters.REPLAYED_KIND)).toList());
    }

    String listDeadLetters(String flow, String kind) throws Exception {
        return (String) jmx.invoke(deadLetters, "listDeadLetters", new Object[] {flow, kind},
                new String[] {String.class.getName(), String.class.getName()});
    }

    Object replayFlowOfKind(String flow, String errorText, String kind) throws Exception {
        return jmx.invoke(deadLetters, "replayFlowOfKind", new Object[] {flow, errorText, kind},
                new String[] {String.class.getName(), String.class.getName(), String.class.getName()});
    }

    String put(String eventId, String error, DeadLetterKind kind, String stepsDone, Instant failedAt)
            throws Exception {
        return dlq.put(Letter.of(FLOW, eventId, "org.apache.camel.http.base.HttpOperationFailedException", error,
                failedAt), kind, stepsDone,
                Map.of(DeadLetters.ORIGIN_QUEUE, FLOW_QUEUE, EventTopics.EVENT_TYPE_HEADER, "invoice.paid"));
    }

    static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    String put(String eventId, String error) throws Exception {
        return dlq.put(Letter.of(FLOW, eventId, "org.apache.camel.http.base.HttpOperationFailedException", error,
                Instant.now()), Map.of(DeadLetters.ORIGIN_QUEUE, FLOW_QUEUE, EventTopics.EVENT_TYPE_HEADER, "invoice.paid"));
    }

    int dlqDepth(String flow) throws Exception {
        return (Integer) jmx.invoke(deadLetters, "dlqDepth", new Object[] {flow}, new String[] {String.class.getName()});
    }

    static String replayedFrom(Message message) {
        try {
            return message.getStringProperty(DeadLetterStore.REPLAYED_FROM);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    static String messageId(Message message) {
        try {
            return message.getJMSMessageID();
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}

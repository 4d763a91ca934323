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

        assertEquals(Map.of("order-fulfilment", 0, "invoice-paid", 2, "lead-qualified", 0, "refund", 0),
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
        Set<String> subjects = audit.path("items").findValues("subject").stream().map(JsonNode::asText)
                .collect(Collectors.toSet());
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

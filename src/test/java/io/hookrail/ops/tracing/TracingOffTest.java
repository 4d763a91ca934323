package io.hookrail.ops.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;

import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.broker.EventTopics;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import io.opentelemetry.api.trace.Tracer;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Tracing is off by default, and then costs nothing: no tracer is installed on Camel (no route policy, no span), the
 * gateway's steps are its plain processors, and the events go on the broker without a trace context.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracingOffTest {

    TestDatabase database;
    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database).start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void noTracerIsInstalledAndNoEventCarriesATraceContext() throws Exception {
        CamelContext context = hookrail.camelContext();
        assertNull(context.hasService(org.apache.camel.telemetry.Tracer.class), "Camel's tracer");
        assertTrue(context.getRegistry().findByType(Tracer.class).isEmpty(), "an OpenTelemetry tracer");
        assertSame(Tracing.OFF, context.getRegistry().lookupByNameAndType(Tracing.BEAN, Tracing.class));
        assertEquals(Collections.emptyMap(), Tracing.OFF.currentContext());

        try (EventQueue published = new EventQueue(hookrail.brokerUrl(), "trace-off-test", "invoice.paid")) {
            var answer = new WebhookSender(hookrail.baseUrl()).stripe("payments", GoldenEvents.PAYMENTS_SECRET,
                    GoldenEvents.read("payments-invoice-paid.json"));
            assertEquals(202, answer.statusCode(), answer.body());
            TextMessage message = published.receive(10_000);
            assertNotNull(message, "the invoice on its Virtual Topic");
            assertEquals(new ObjectMapper().readTree(answer.body()).get("id").asText(),
                    message.getStringProperty(EventTopics.EVENT_ID_HEADER));
            assertNull(message.getStringProperty("traceparent"));
            assertNull(message.getStringProperty("tracestate"));
        }
    }
}

package io.hookrail.ops.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.broker.EventTopics;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With {@code hookrail.tracing.enabled}, each event is one trace from its webhook through every flow step and
 * downstream call, across the broker: Hookrail on a real broker, HTTP and H2, its OpenTelemetry an SDK with an
 * in-memory exporter bound in the registry (as an embedding application would bind its own).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey(EventAttributes.EVENT_ID);
    static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey(EventAttributes.CORRELATION_ID);
    static final AttributeKey<String> FLOW = AttributeKey.stringKey(EventAttributes.FLOW);
    static final AttributeKey<String> STEP = AttributeKey.stringKey(EventAttributes.STEP);
    static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("component");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk openTelemetry;
    TestDatabase database;
    HookrailInstance hookrail;
    EventQueue published;

    @BeforeAll
    void startHookrail() {
        openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database)
                .property("hookrail.tracing.enabled", "true")
                .bean("openTelemetry", openTelemetry)
                .start();
    }

    @AfterAll
    void stopHookrail() throws Exception {
        if (published != null) {
            published.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
        openTelemetry.close();
    }

    @Test
    void eachEventIsOneTraceFromItsWebhookThroughEveryStepAndDownstreamCall() throws Exception {
        WebhookSender sender = new WebhookSender(hookrail.baseUrl());
        // a queue of its own on the invoice's Virtual Topic: the message as the group commit put it on the broker
        published = new EventQueue(hookrail.brokerUrl(), "trace-test", "invoice.paid");
        String orderId = "msg_" + UUID.randomUUID();
        String correlationId = "trace-test-" + UUID.randomUUID();
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        Map<String, String> headers = new LinkedHashMap<>(WebhookSender.standardWebhooksHeaders(
                GoldenEvents.SHOP_SECRET, orderId, order, Instant.now()));
        headers.put("X-Correlation-Id", correlationId);
        assertEquals(202, sender.post("shop", headers, order).statusCode());
        var invoice = sender.stripe("payments", GoldenEvents.PAYMENTS_SECRET,
                GoldenEvents.read("payments-invoice-paid.json"));
        assertEquals(202, invoice.statusCode(), invoice.body());
        String invoiceId = JSON.readTree(invoice.body()).get("id").asText();

        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        Timelines.awaitStep(operator, orderId, "outcome", "completed");
        Timelines.awaitStep(operator, invoiceId, "outcome", "completed");

        List<SpanData> orderTrace = awaitTrace(orderId, "order-fulfilment",
                List.of("invoice.create", "payment.capture", "email.send"));
        List<SpanData> invoiceTrace = awaitTrace(invoiceId, "invoice-paid", List.of("invoice.markPaid", "note.add"));
        assertNotEquals(orderTrace.get(0).getTraceId(), invoiceTrace.get(0).getTraceId());

        // the message carries the W3C trace context of the delivery's persist span: 00-<trace id>-<span id>-01
        TextMessage message = published.receive(10_000);
        assertNotNull(message, "the invoice on its Virtual Topic");
        assertEquals(invoiceId, message.getStringProperty(EventTopics.EVENT_ID_HEADER));
        SpanData persist = only(invoiceTrace, "persist");
        assertEquals("00-" + persist.getTraceId() + "-" + persist.getSpanId() + "-01",
                message.getStringProperty("traceparent"));

        // the sender's correlation id on the webhook's span and on the flow's run
        SpanData webhook = webhookSpan(orderTrace);
        assertEquals(correlationId, webhook.getAttributes().get(CORRELATION_ID));
        assertEquals(correlationId, flowRun(orderTrace, "order-fulfilment").getAttributes().get(CORRELATION_ID));
        // a generated one, the same on both sides of the broker
        String generated = webhookSpan(invoiceTrace).getAttributes().get(CORRELATION_ID);
        assertNotNull(generated);
        assertEquals(generated, flowRun(invoiceTrace, "invoice-paid").getAttributes().get(CORRELATION_ID));
    }

    /**
     * Waits until the event's trace holds its flow's finished run, and checks it: one trace id for every span that
     * names the event; validate and persist; one span per step and one downstream call in each, which the sandbox
     * received with its {@code traceparent}; the run's parents reaching the webhook's span across the broker.
     */
    private List<SpanData> awaitTrace(String eventId, String flow, List<String> steps) throws InterruptedException {
        // the run's span ends after its transaction committed, a moment after the timeline says completed
        assertTrue(Await.until(() -> spansOf(eventId).stream().anyMatch(span -> flow.equals(
                span.getAttributes().get(FLOW)) && "camel-jms".equals(span.getAttributes().get(COMPONENT)))),
                "no finished run of " + flow + " for " + eventId + ": " + names(spansOf(eventId)));
        Set<String> traceIds = spansOf(eventId).stream().map(SpanData::getTraceId).collect(Collectors.toSet());
        assertEquals(1, traceIds.size(), "one trace for " + eventId + ": " + traceIds);
        String traceId = traceIds.iterator().next();
        List<SpanData> trace = exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getTraceId().equals(traceId)).toList();
        Map<String, SpanData> byId = new HashMap<>();
        trace.forEach(span -> byId.put(span.getSpanId(), span));

        SpanData validate = only(trace, "validate");
        SpanData persist = only(trace, "persist");
        SpanData webhook = byId.get(validate.getParentSpanId());
        assertNotNull(webhook, "validate's parent in the trace");
        assertEquals(webhook.getSpanId(), persist.getParentSpanId());
        assertEquals("camel-platform-http", webhook.getAttributes().get(COMPONENT));
        assertTrue(webhook.getAttributes().get(URL_PATH).contains("webhooks/"), webhook.toString());
        assertEquals(eventId, webhook.getAttributes().get(EVENT_ID));
        assertEquals(eventId, persist.getAttributes().get(EVENT_ID));

        // across the broker: the run's parent chain reaches the webhook's span through persist
        SpanData run = flowRun(trace, flow);
        assertEquals(eventId, run.getAttributes().get(EVENT_ID));
        List<String> chain = new ArrayList<>();
        for (SpanData span = run; span != null; span = byId.get(span.getParentSpanId())) {
            chain.add(span.getSpanId());
        }
        assertTrue(chain.contains(persist.getSpanId()), "persist in the run's parent chain " + names(trace));
        assertEquals(webhook.getSpanId(), chain.get(chain.size() - 1), "the trace's root is the webhook's span");
        assertEquals(webhook, webhookSpan(trace));

        for (String step : steps) {
            SpanData stepSpan = only(trace, step);
            assertEquals(step, stepSpan.getAttributes().get(STEP));
            assertEquals(eventId, stepSpan.getAttributes().get(EVENT_ID));
            assertTrue(chainOf(stepSpan, byId).contains(run.getSpanId()), step + " is inside the run");
            List<SpanData> calls = trace.stream().filter(span -> step.equals(span.getAttributes().get(STEP))
                    && "camel-http".equals(span.getAttributes().get(COMPONENT))).toList();
            assertEquals(1, calls.size(), "one downstream call of " + step + ": " + names(calls));
            SpanData call = calls.get(0);
            assertTrue(call.getName().startsWith("POST "), call.getName());
            assertTrue(chainOf(call, byId).contains(stepSpan.getSpanId()), "the call of " + step + " is inside it");
            // the sandbox's own server span is the call's child: only the traceparent header of the request can have
            // told it, the request being served on another thread, in another exchange
            List<SpanData> received = trace.stream().filter(span -> span.getParentSpanId().equals(call.getSpanId())
                    && "camel-platform-http".equals(span.getAttributes().get(COMPONENT))).toList();
            assertEquals(1, received.size(), "the sandbox received " + step + " with its traceparent: " + names(trace));
            assertTrue(received.get(0).getAttributes().get(URL_PATH).contains("sandbox/"), received.toString());
        }
        return trace;
    }

    private List<SpanData> spansOf(String eventId) {
        return exporter.getFinishedSpanItems().stream()
                .filter(span -> eventId.equals(span.getAttributes().get(EVENT_ID))).toList();
    }

    /** The trace's root: the webhook's span (its path is the route's, {@code webhooks/{source}}). */
    private static SpanData webhookSpan(List<SpanData> trace) {
        List<SpanData> roots = trace.stream().filter(span -> !span.getParentSpanContext().isValid()).toList();
        assertEquals(1, roots.size(), "one root: " + names(trace));
        return roots.get(0);
    }

    private static SpanData flowRun(List<SpanData> trace, String flow) {
        List<SpanData> runs = trace.stream().filter(span -> "camel-jms".equals(span.getAttributes().get(COMPONENT))
                && flow.equals(span.getAttributes().get(FLOW))).toList();
        assertEquals(1, runs.size(), "one run of " + flow + ": " + names(trace));
        return runs.get(0);
    }

    private static SpanData only(List<SpanData> trace, String name) {
        List<SpanData> named = trace.stream().filter(span -> span.getName().equals(name)).toList();
        assertEquals(1, named.size(), "one span " + name + " in " + names(trace));
        return named.get(0);
    }

    private static List<String> chainOf(SpanData span, Map<String, SpanData> byId) {
        List<String> chain = new ArrayList<>();
        for (SpanData at = span; at != null; at = byId.get(at.getParentSpanId())) {
            chain.add(at.getSpanId());
        }
        return chain;
    }

    private static List<String> names(List<SpanData> spans) {
        return spans.stream().map(span -> span.getName() + "(" + span.getSpanId() + "<" + span.getParentSpanId()
                + ")").toList();
    }
}

package io.hookrail.ops.logging;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A Hookrail process started as an operator starts it in production, with {@code HOOKRAIL_LOG_FORMAT=json}: every
 * line of its output is a JSON object, every line about an order carries the order's correlation id, the flow's lines
 * name the flow, its downstream calls the step, and no golden e-mail address is anywhere in the output.
 */
class JsonLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("\"email\"\\s*:\\s*\"([^\"]+)\"");
    /**
     * What the JVM itself may write to stderr (which {@link HookrailProcess} merges into the output), outside
     * Log4j: it cannot be JSON. In production stderr is a stream of its own. Log4j's own status messages are not
     * excused: they mean the logging configuration is broken.
     */
    private static final Pattern JVM_LINE = Pattern.compile("^(WARNING: |OpenJDK 64-Bit Server VM warning: )");
    private static final List<String> STEPS = List.of("invoice.create", "payment.capture", "email.send");

    @Test
    void everyLineIsJsonAndTheLinesOfAnOrderCarryItsCorrelationIdFlowAndStep() throws Exception {
        HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-json-logs-"), Map.of())
                .environment(LogFormat.VARIABLE, "json").start();
        String eventId = "msg_" + UUID.randomUUID();
        String correlationId = "json-logs-" + UUID.randomUUID();
        try {
            WebhookSender sender = new WebhookSender(hookrail.baseUrl());
            SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
            GoldenEvents.Golden small = GoldenEvents.named("shop-order-placed-small.json");

            assertEquals(202, send(sender, small, eventId, correlationId, small.body()).statusCode());
            assertEquals(STEPS, sandbox.awaitOperations(small.businessId(), ops -> ops.size() >= STEPS.size()));
            sandbox.ledger(small.businessId()).forEach(effect -> assertEquals(correlationId, effect.correlationId(),
                    "the downstream call did not carry the correlation id: " + effect));

            // the positive control of the masking: a rejection that quotes a sender's value logs it, masked
            String quoted = new String(small.body(), StandardCharsets.UTF_8)
                    .replace("\"type\":\"order.placed\"", "\"type\":\"amina.otieno@example.com\"");
            assertEquals(422, send(sender, small, "msg_" + UUID.randomUUID(), "json-logs-rejected",
                    quoted.getBytes(StandardCharsets.UTF_8)).statusCode());

            // the flow logs its last call when the answer is back, just after the sandbox booked it
            awaitOutput(hookrail, "Downstream email.send answered 2", eventId);
        } finally {
            // a graceful stop: its lines too must be JSON, and every line is complete once the process is gone
            hookrail.terminate();
            hookrail.close();
        }

        String output = hookrail.output();
        List<JsonNode> lines = parse(output);
        assertTrue(lines.size() > 50, "too few lines: " + lines.size());
        for (JsonNode line : lines) {
            assertTrue(line.isObject(), line.toString());
            for (String field : new String[] {"timestamp", "level", "logger", "thread", "message"}) {
                assertTrue(line.path(field).isTextual(), "no " + field + ": " + line);
            }
            assertEquals("hookrail", line.path("service").asText(), line.toString());
            Instant.parse(line.path("timestamp").asText());
        }

        // the order's lines: the gateway's and the flow's (with its event id), the sandbox's (which name the
        // order's steps in the idempotency key); each must carry the correlation id the shop sent
        String keys = "order-fulfilment:" + GoldenEvents.named("shop-order-placed-small.json").businessId() + ":";
        List<JsonNode> order = lines.stream().filter(line -> eventId.equals(line.path("eventId").asText())
                || line.path("message").asText().contains(eventId) || line.path("message").asText().contains(keys))
                .toList();
        for (JsonNode line : order) {
            assertEquals(correlationId, line.path("correlationId").asText(), "a line of the order: " + line);
        }
        JsonNode accepted = only(order, logger("io.hookrail.ingest.WebhookIntake"));
        assertEquals("Accepted order.placed event " + eventId + " from shop", accepted.path("message").asText());
        assertEquals(eventId, accepted.path("eventId").asText());
        assertFalse(accepted.has("flow"), "the gateway is no flow: " + accepted);
        assertEquals(STEPS.size(), order.stream().filter(logger("io.hookrail.sandbox.SandboxCalls")).count(),
                "the sandbox's lines: " + order);

        // the flow's lines (its consumer's threads) name the flow; its first line, the policy gate, no step yet
        List<JsonNode> flow = order.stream()
                .filter(line -> line.path("thread").asText().contains("Consumer.order-fulfilment.")).toList();
        assertTrue(flow.size() >= 1 + STEPS.size(), "the flow left too few lines: " + flow);
        for (JsonNode line : flow) {
            assertEquals("order-fulfilment", line.path("flow").asText(), "a line of the flow: " + line);
            assertEquals(eventId, line.path("eventId").asText(), "a line of the flow: " + line);
        }
        JsonNode gate = only(flow, logger("io.hookrail.approval.ApprovalGate"));
        assertFalse(gate.has("step"), "the policy gate comes before any step: " + gate);
        // each downstream call's line carries its step
        for (String step : STEPS) {
            JsonNode call = only(flow, logger("io.hookrail.flow.downstream").and(
                    line -> line.path("message").asText().startsWith("Downstream " + step + " answered 2")));
            assertEquals(step, call.path("step").asText(), call.toString());
            assertTrue(call.path("message").asText().contains(keys + step + ":1"), call.toString());
        }

        // no golden e-mail address anywhere; the quoted one is there, masked, in the message of the rejection
        for (GoldenEvents.Golden golden : GoldenEvents.ALL) {
            Matcher email = EMAIL.matcher(new String(golden.body(), StandardCharsets.UTF_8));
            while (email.find()) {
                assertFalse(output.contains(email.group(1)), email.group(1) + " of " + golden + " is in the log");
            }
        }
        assertFalse(output.contains("amina.otieno@example.com"), "the quoted value is in the log");
        JsonNode rejected = only(lines, line -> line.path("correlationId").asText().equals("json-logs-rejected"));
        assertTrue(rejected.path("message").asText().startsWith("Rejected delivery with 422"), rejected.toString());
        assertTrue(rejected.path("message").asText().contains("a***@example.com"), "not masked: " + rejected);
    }

    @Test
    void aFailedStartupIsLoggedAsJsonLinesToo() throws Exception {
        Path dir = Files.createTempDirectory("hookrail-json-logs-");
        Path policy = Files.writeString(dir.resolve("policies.yaml"), """
                version: 2
                eventTypes:
                  order.placed:
                    requireApproval:
                      - rule: order-above-threshold
                        amountAbove: { EUR: 1000.00 }
                """);
        try (HookrailProcess hookrail = new HookrailProcess(dir, Map.of("hookrail.policy.file", policy.toString()))
                .environment(LogFormat.VARIABLE, "json")) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, hookrail::start);
            assertTrue(stopped.getMessage().contains("exited during startup"), stopped.getMessage());
            List<JsonNode> lines = parse(hookrail.output());
            JsonNode problems = only(lines, logger("io.hookrail.policy.PolicyConfiguration"));
            assertEquals("ERROR", problems.path("level").asText());
            assertTrue(problems.path("message").asText().contains(policy + ":6:"), problems.toString());
            // the exception that stopped Camel Main, which the JVM would print to stderr, is a line of its own
            JsonNode uncaught = only(lines, logger("io.hookrail.HookrailApplication"));
            assertEquals("Uncaught exception in thread main", uncaught.path("message").asText());
            assertTrue(uncaught.path("exceptionClass").isTextual(), uncaught.toString());
            assertTrue(uncaught.path("exception").asText().contains("\n\tat "), "no stack: " + uncaught);
            assertTrue(uncaught.path("exception").asText().contains("Caused by: "), uncaught.toString());
        }
    }

    /** Every line of the output as JSON, but for the JVM's own; fails on any other line. */
    private static List<JsonNode> parse(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (JVM_LINE.matcher(line).find()) {
                continue;
            }
            try {
                lines.add(JSON.readTree(line));
            } catch (Exception notJson) {
                fail("a line is not JSON: " + line);
            }
        }
        return lines;
    }

    private static HttpResponse<String> send(WebhookSender sender, GoldenEvents.Golden golden, String id,
                                             String correlationId, byte[] body) {
        long ts = Instant.now().getEpochSecond();
        return sender.post(golden.source(), Map.of(
                StandardWebhooksScheme.ID_HEADER, id,
                StandardWebhooksScheme.TIMESTAMP_HEADER, String.valueOf(ts),
                StandardWebhooksScheme.SIGNATURE_HEADER, StandardWebhooksScheme.sign(golden.secret(), id, ts, body),
                HttpAnswers.CORRELATION_HEADER, correlationId), body);
    }

    private static Predicate<JsonNode> logger(String name) {
        return line -> line.path("logger").asText().equals(name);
    }

    private static JsonNode only(List<JsonNode> lines, Predicate<JsonNode> which) {
        List<JsonNode> found = lines.stream().filter(which).toList();
        assertEquals(1, found.size(), "expected one such line, found " + found);
        return found.get(0);
    }

    /** Waits (at most 30 s) until a line of the output holds all the texts. */
    private static void awaitOutput(HookrailProcess hookrail, String... texts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String line : hookrail.output().split("\n")) {
                if (Arrays.stream(texts).allMatch(line::contains)) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        fail("no line with " + List.of(texts) + " in the output");
    }
}

package io.hookrail.ops.logging;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real console log of a Hookrail process that ran every golden event, approvals, failures with retries and
 * dead letters, and a rejection that quotes a sender's e-mail address, holds no e-mail address of a golden event:
 * the quoted one is there, masked.
 */
class PersonalDataInLogsTest {

    static final Pattern EMAIL = Pattern.compile("\"email\"\\s*:\\s*\"([^\"]+)\"");

    @Test
    void noGoldenEmailAddressReachesTheLog() throws Exception {
        HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-logs-"), Map.of(
                "hookrail.flow.retry.maximumRedeliveries", "1", "hookrail.flow.retry.initialDelayMillis", "10"))
                .start();
        try {
            WebhookSender sender = new WebhookSender(hookrail.baseUrl());
            SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
            AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);

            // a failing confirmation e-mail: retries, compensations and a dead letter, all logged
            sandbox.fault("email", "down");
            GoldenEvents.Golden small = GoldenEvents.named("shop-order-placed-small.json");
            send(sender, small, small.body());
            sandbox.awaitOperations("ORD-10001", ops -> ops.contains("invoice.cancel"));
            sandbox.clearFaults();

            // contract violations whose values are personal data: rejected, and logged as rejected
            String bad = new String(small.body(), StandardCharsets.UTF_8)
                    .replace("\"amountMinor\":12990", "\"amountMinor\":\"amina.otieno@example.com\"");
            send(sender, small, bad.getBytes(StandardCharsets.UTF_8));

            // a sender's value that the gateway's rejection quotes, and so logs: the positive control of this test
            String quoted = new String(small.body(), StandardCharsets.UTF_8)
                    .replace("\"type\":\"order.placed\"", "\"type\":\"amina.otieno@example.com\"");
            assertEquals(422, send(sender, small, quoted.getBytes(StandardCharsets.UTF_8)).statusCode());

            for (GoldenEvents.Golden golden : GoldenEvents.ALL) {
                if (golden.isStripe()) {
                    sender.stripe(golden.source(), golden.secret(), golden.body());
                } else {
                    send(sender, golden, golden.body());
                }
            }
            for (String flow : List.of("order-fulfilment", "refund")) {
                assertTrue(awaitPendingAndApprove(approver, flow), "nothing held in " + flow);
            }
            sandbox.awaitOperations("RF-502", ops -> ops.size() >= 2);
            sandbox.awaitOperations("ORD-10002", ops -> ops.size() >= 3);
            sandbox.awaitOperations("LEAD-3141", ops -> ops.size() >= 2);

            String log = hookrail.output();
            assertTrue(log.contains("ORD-10001") && log.contains("LEAD-3141"), "the events left no trace in the log");
            for (GoldenEvents.Golden golden : GoldenEvents.ALL) {
                Matcher email = EMAIL.matcher(new String(golden.body(), StandardCharsets.UTF_8));
                while (email.find()) {
                    assertFalse(log.contains(email.group(1)), email.group(1) + " of " + golden.file() + " is in the log");
                }
            }
            assertFalse(log.contains("amina.otieno@example.com"), "the violating value is in the log");
            assertTrue(log.contains("a***@example.com"), "the rejection quoting the sender's value was not logged masked");
        } finally {
            hookrail.close();
        }
    }

    static HttpResponse<String> send(WebhookSender sender, GoldenEvents.Golden golden, byte[] body) {
        return sender.standardWebhooks(golden.source(), golden.secret(), "msg_" + UUID.randomUUID(), body);
    }

    static boolean awaitPendingAndApprove(AdminClient approver, String flow) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            for (JsonNode item : approver.get("/api/approvals?state=pending&flow=" + flow).path("items")) {
                return approver.postRaw("/api/approvals/" + item.path("id").asText() + "/approve", "{}").statusCode() == 200;
            }
            Thread.sleep(200);
        }
        return false;
    }
}

package io.hookrail.approval;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code PendingApprovals} MBean through the platform MBean server, as Hawtio reaches it through Jolokia: the
 * golden large refund held for approval shows up as pending, with its age, and leaves once it is decided.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PendingApprovalsMBeanTest {

    final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
    HookrailInstance hookrail;
    ObjectName pending;

    @BeforeAll
    void start() {
        hookrail = HookrailInstance.builder().start();
        pending = hookrail.serviceMBean("PendingApprovals");
    }

    @AfterAll
    void stop() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void theHeldGoldenLargeRefundIsPendingUntilItIsDecided() throws Exception {
        assertEquals(0L, jmx.getAttribute(pending, "PendingCount"));
        assertEquals(0L, jmx.getAttribute(pending, "OldestPendingAgeSeconds"));
        assertEquals("", jmx.getAttribute(pending, "OldestPendingCreatedAt"));

        var golden = GoldenEvents.named("support-refund-large.json");
        assertEquals(202, new WebhookSender(hookrail.baseUrl())
                .standardWebhooks("support", golden.secret(), "msg_" + UUID.randomUUID(), golden.body()).statusCode());
        assertTrue(Await.until(() -> pendingCount() == 1), "the large refund is not pending");

        AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
        JsonNode approval = approver.get("/api/approvals?state=pending").path("items").get(0);
        assertEquals("RF-502", approval.path("businessId").asText());
        assertEquals(Map.of("refund", 1L), jmx.getAttribute(pending, "PendingByFlow"));
        assertEquals(approval.path("createdAt").asText(), jmx.getAttribute(pending, "OldestPendingCreatedAt"));
        long age = (Long) jmx.getAttribute(pending, "OldestPendingAgeSeconds");
        long sinceCreated = Instant.now().getEpochSecond() - Instant.parse(approval.path("createdAt").asText()).getEpochSecond();
        assertTrue(age >= 0 && age <= sinceCreated + 1, "age " + age + " s, created " + sinceCreated + " s ago");

        assertEquals(200, approver.postRaw("/api/approvals/" + approval.path("id").asText() + "/reject",
                "{\"comment\":\"checked in Hawtio\"}").statusCode());
        assertEquals(0L, pendingCount());
        assertEquals(Map.of(), jmx.getAttribute(pending, "PendingByFlow"));
    }

    long pendingCount() {
        try {
            return (Long) jmx.getAttribute(pending, "PendingCount");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

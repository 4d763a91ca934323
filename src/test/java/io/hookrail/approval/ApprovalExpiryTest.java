package io.hookrail.approval;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An approval nobody decides in {@code hookrail.approval.expiry} expires: operators see it, nobody can decide it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalExpiryTest {

    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().property("hookrail.approval.expiry", "PT1S")
                .property("hookrail.approval.expiryCheckMillis", "200").start();
    }

    @AfterAll
    void stopHookrail() {
        hookrail.close();
    }

    @Test
    void anUndecidedApprovalExpiresAndCanNoLongerBeDecided() throws Exception {
        GoldenEvents.Golden golden = GoldenEvents.named("support-refund-large.json");
        assertEquals(202, new WebhookSender(hookrail.baseUrl())
                .standardWebhooks(golden.source(), golden.secret(), "msg_" + UUID.randomUUID(), golden.body()).statusCode());
        AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
        JsonNode[] expired = new JsonNode[1];
        assertTrue(Await.until(() -> {
            JsonNode items = approver.get("/api/approvals?state=expired&flow=refund").path("items");
            expired[0] = items.isEmpty() ? null : items.get(0);
            return expired[0] != null;
        }), "RF-502 did not expire");
        assertEquals("RF-502", expired[0].path("businessId").asText());
        assertEquals("system", expired[0].path("decidedBy").asText());

        HttpResponse<String> late = approver.postRaw("/api/approvals/" + expired[0].path("id").asText() + "/approve", "{}");
        assertEquals(409, late.statusCode(), late.body());
        assertEquals(List.of(), new SandboxClient(hookrail.baseUrl()).operations("RF-502"));
        assertEquals(1, approver.get("/api/audit?action=approval.expired&subject=" + expired[0].path("id").asText())
                .path("total").asInt());
    }
}

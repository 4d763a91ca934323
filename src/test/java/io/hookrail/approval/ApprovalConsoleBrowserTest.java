package io.hookrail.approval;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HeadlessChromium;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.FluentWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approver console in real headless Chromium against a real Hookrail: an approver signs in, finds the held
 * golden large refund, approves it with a comment, and the refund happens. Skipped where Chromium is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalConsoleBrowserTest {

    static final ObjectMapper JSON = new ObjectMapper();

    HeadlessChromium chromium;
    HookrailInstance hookrail;
    WebhookSender sender;
    SandboxClient sandbox;
    AdminClient approver;
    AdminClient approver2;
    ApprovalConsolePage page;

    @BeforeAll
    void start() {
        if (!HeadlessChromium.installed()) {
            return; // each test is then skipped, and counted as skipped, in openSignedOut
        }
        chromium = HeadlessChromium.start();
        hookrail = HookrailInstance.builder().start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
        approver2 = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER2_TOKEN);
        page = new ApprovalConsolePage(chromium.driver(), hookrail.baseUrl());
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @BeforeEach
    void openSignedOut() {
        HeadlessChromium.assumeInstalled();
        page.openSignedOut();
    }

    @AfterEach
    void pageBrokeNoRule() {
        if (chromium == null) {
            return;
        }
        // a script or style the Content-Security-Policy refused, a missing file or a script error shows up here;
        // Chromium also logs the 401 and 409 answers these tests provoke, and the favicon the page does not have
        List<LogEntry> severe = chromium.consoleMessages().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .filter(entry -> !entry.getMessage().contains("/favicon.ico"))
                .filter(entry -> !entry.getMessage().matches(".*/api/approvals.* status of (401|409) .*"))
                .toList();
        assertEquals(List.of(), severe.stream().map(LogEntry::getMessage).toList(), "browser console errors");
    }

    @Test
    void anApproverApprovesTheHeldGoldenRefundOnThePage() throws Exception {
        var golden = GoldenEvents.named("support-refund-large.json");
        assertEquals(202, sender.standardWebhooks("support", golden.secret(), "msg_" + UUID.randomUUID(), golden.body())
                .statusCode());
        JsonNode pending = awaitPending("refund", "RF-502");

        page.signIn(AdminClient.APPROVER_TOKEN);
        WebElement card = page.awaitCard("RF-502");
        String shown = card.getText();
        for (String fact : List.of("refund", "RF-502", "1,500.00 USD", "duplicate charge", "ORD-10002",
                "refund-above-threshold", "Refunds above 500.00 need a finance approval",
                // requested by the source whose signature was verified (the golden event claims nobody)
                "source:support")) {
            assertTrue(shown.contains(fact), "the card lacks '" + fact + "':\n" + shown);
        }
        assertEquals(pending.path("expiresAt").asText(), page.expiry(card));
        assertEquals(AdminClient.APPROVER_TOKEN, page.storedToken(), "the token is kept in sessionStorage");
        assertFalse(page.currentUrl().contains("token"), page.currentUrl());
        assertEquals("", page.cookies());
        page.screenshot("approval-console-pending");

        page.decide(card, "approve", "Duplicate charge confirmed with the bank");
        String result = page.awaitResult(card, "APPROVED");
        assertTrue(result.startsWith("Approved by approver"), result);
        assertTrue(result.contains("Duplicate charge confirmed with the bank"), result);
        page.screenshot("approval-console");

        assertEquals(List.of("payment.refund", "note.add"), sandbox.awaitOperations("RF-502", ops -> ops.size() >= 2));

        page.signOut();
        assertNull(page.storedToken(), "sign-out clears the token");
    }

    @Test
    void aBadTokenShowsTheApiErrorAndStaysSignedOut() throws Exception {
        page.signIn("not-a-valid-token");
        assertEquals("The bearer token is not valid", page.awaitAlert());
        assertTrue(page.signInShown());
        assertNull(page.storedToken(), "a refused token is not kept");
        page.screenshot("approval-console-sign-in-refused");
    }

    @Test
    void aDecisionTakenElsewhereShowsTheProblemDetail() throws Exception {
        String refundId = sendLargeRefund();
        String id = awaitPending("refund", refundId).path("id").asText();
        page.signIn(AdminClient.APPROVER_TOKEN);
        WebElement card = page.awaitCard(refundId);

        assertEquals(200, approver2.postRaw("/api/approvals/" + id + "/approve", "{}").statusCode());
        page.decide(card, "reject", "too late");
        String alert = page.awaitAlert();
        assertTrue(alert.contains("Approval " + id + " is approved by approver2"), alert);
        assertEquals("STALE", card.getAttribute("data-state"));
    }

    /** A refund of 1,000.00 USD, above the threshold, under a new refund id. */
    String sendLargeRefund() throws Exception {
        ObjectNode refund = (ObjectNode) JSON.readTree(GoldenEvents.read("support-refund-large.json"));
        String refundId = "RF-" + UUID.randomUUID();
        ((ObjectNode) refund.get("data")).put("refundId", refundId).put("amountMinor", 100000);
        assertEquals(202, sender.standardWebhooks("support", GoldenEvents.SUPPORT_SECRET, "msg_" + UUID.randomUUID(),
                JSON.writeValueAsString(refund).getBytes(StandardCharsets.UTF_8)).statusCode());
        return refundId;
    }

    /** Waits (through the API, not the page) until the flow has held the business id for approval. */
    JsonNode awaitPending(String flow, String businessId) {
        return new FluentWait<>(approver)
                .withTimeout(ApprovalConsolePage.WAIT)
                .pollingEvery(Duration.ofMillis(200))
                .withMessage(businessId + " not held for approval")
                .until(client -> {
                    for (JsonNode item : client.get("/api/approvals?state=pending&flow=" + flow).path("items")) {
                        if (businessId.equals(item.path("businessId").asText())) {
                            return item;
                        }
                    }
                    return null;
                });
    }
}

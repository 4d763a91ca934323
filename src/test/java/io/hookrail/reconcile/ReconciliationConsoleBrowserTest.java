package io.hookrail.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;

import javax.sql.DataSource;

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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciliation page in real headless Chromium against a real Hookrail: a viewer signs in and sees the golden
 * order completed under its flow's owner and the downstream check; an event lost after it was accepted (a receipt
 * the test writes in the store) appears as unaccounted after a refresh; a bad window shows the API's problem.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconciliationConsoleBrowserTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String FLOW = "order-fulfilment";

    HeadlessChromium chromium;
    HookrailInstance hookrail;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeAll
    void start() {
        if (!HeadlessChromium.installed()) {
            return; // each test is then skipped, and counted as skipped, in openSignedOut
        }
        chromium = HeadlessChromium.start();
        hookrail = HookrailInstance.builder().start();
        browser = chromium.driver();
        wait = new WebDriverWait(browser, WAIT);
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
        browser.get(hookrail.baseUrl() + "/console/reconciliation");
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    @AfterEach
    void pageBrokeNoRule() {
        if (chromium == null) {
            return;
        }
        // the 400 the bad window provokes is logged by Chromium; anything else severe is a broken page
        List<String> severe = chromium.consoleMessages().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !message.contains("/favicon.ico"))
                .filter(message -> !message.matches(".*/api/reconciliation.* status of 400 .*"))
                .toList();
        assertEquals(List.of(), severe, "browser console errors");
    }

    @Test
    void aViewerSeesTheFlowsAndThenTheLostEventAsUnaccounted() throws Exception {
        GoldenEvents.Golden order = GoldenEvents.named("shop-order-placed-small.json");
        String orderId = "ORD-" + UUID.randomUUID();
        assertEquals(202, new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", order.secret(),
                "msg_" + UUID.randomUUID(), GoldenEvents.withField(order.file(), "orderId", orderId)).statusCode());
        new SandboxClient(hookrail.baseUrl()).awaitOperations(orderId, ops -> ops.contains("email.send"));

        signIn(AdminClient.VIEWER_TOKEN);
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(flowRow()));
        wait.until(driver -> cells(driver.findElement(flowRow())).get(3).equals("1")); // completed
        List<String> cells = cells(row);
        assertEquals(List.of(FLOW, "commerce-team", "high"), cells.subList(0, 3), cells.toString());
        assertTrue(browser.findElement(By.id("unaccounted-empty")).isDisplayed());
        String downstream = browser.findElement(By.id("downstream")).getText();
        assertTrue(downstream.matches("\\d+ completed steps checked: 0 missing, 0 duplicate, 0 unchecked"
                + " \\(hooks: invoice\\.create\\)\\."), downstream);

        String lost = "msg_lost_" + UUID.randomUUID();
        insertReceipt(lost);
        browser.findElement(By.id("refresh")).click();
        WebElement unaccounted = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//tbody[@id='unaccounted']//td[text()='" + lost + "']")));
        assertTrue(unaccounted.isDisplayed());
        assertEquals("bad", browser.findElement(flowRow()).getAttribute("class"));
        assertTrue(!browser.findElement(By.id("unaccounted-empty")).isDisplayed());
    }

    @Test
    void aBadWindowShowsTheProblemAndKeepsTheSession() {
        signIn(AdminClient.VIEWER_TOKEN);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("report")));
        WebElement from = browser.findElement(By.id("from"));
        from.sendKeys("yesterday", Keys.ENTER);
        WebElement alert = browser.findElement(By.id("alert"));
        wait.until(driver -> !alert.getText().isBlank());
        assertTrue(alert.getText().startsWith("from is not an ISO-8601 instant"), alert.getText());
        assertTrue(browser.findElement(By.id("report")).isDisplayed(), "a 400 does not sign the viewer out");
    }

    private void signIn(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token, Keys.ENTER);
    }

    private static By flowRow() {
        return By.cssSelector("#flows tr[data-flow='" + FLOW + "']");
    }

    private static List<String> cells(WebElement row) {
        return row.findElements(By.tagName("td")).stream().map(WebElement::getText).toList();
    }

    /** A receipt as the gateway writes it, with no message behind it: an event lost after it was accepted. */
    private void insertReceipt(String eventId) throws Exception {
        DataSource dataSource = hookrail.camelContext().getRegistry().findSingleByType(DataSource.class);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ingest_receipt (source, event_id,"
                     + " event_type, correlation_id, received_at) VALUES ('shop', ?, 'order.placed', ?, ?)")) {
            insert.setString(1, eventId);
            insert.setString(2, UUID.randomUUID().toString());
            insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }
}

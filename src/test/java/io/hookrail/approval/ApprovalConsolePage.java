package io.hookrail.approval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The approver console as a test drives it: by the ids and data attributes the page promises. */
final class ApprovalConsolePage {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final String TOKEN_KEY = "hookrail.console.token";

    private final WebDriver browser;
    private final WebDriverWait wait;
    private final String url;

    ApprovalConsolePage(WebDriver browser, String baseUrl) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, WAIT);
        this.url = baseUrl + "/console/approvals";
    }

    /** Opens the page signed out: the tab's session storage is cleared first. */
    ApprovalConsolePage openSignedOut() {
        browser.get(url);
        ((JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        return this;
    }

    /** Types the token and presses Enter, as a keyboard user would. */
    void signIn(String token) {
        WebElement field = browser.findElement(By.id("token"));
        field.clear();
        field.sendKeys(token, Keys.ENTER);
    }

    void awaitSignedIn() {
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approvals")));
    }

    void signOut() {
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
    }

    /** The card of a pending approval, once the list shows it. */
    WebElement awaitCard(String businessId) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(card(businessId)));
    }

    void decide(WebElement card, String action, String comment) {
        card.findElement(By.cssSelector("textarea[data-field='comment']")).sendKeys(comment);
        card.findElement(By.cssSelector("[data-action='" + action + "']")).click();
    }

    /** Waits until the card shows the decided state, and returns its result text. */
    String awaitResult(WebElement card, String state) {
        wait.until(ExpectedConditions.attributeToBe(card, "data-state", state));
        WebElement result = card.findElement(By.cssSelector("[data-role='result']"));
        wait.until(ExpectedConditions.visibilityOf(result));
        return result.getText();
    }

    /** Waits until the alert region says something, and returns it. */
    String awaitAlert() {
        WebElement alert = browser.findElement(By.id("alert"));
        wait.until(driver -> !alert.getText().isBlank());
        return alert.getText();
    }

    /** The instant the card says the approval expires at (its machine-readable datetime). */
    String expiry(WebElement card) {
        return card.findElement(By.cssSelector("time[data-field='expires']")).getAttribute("datetime");
    }

    boolean signInShown() {
        return browser.findElement(By.id("sign-in")).isDisplayed();
    }

    Object storedToken() {
        return ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem(arguments[0])", TOKEN_KEY);
    }

    String cookies() {
        return (String) ((JavascriptExecutor) browser).executeScript("return document.cookie");
    }

    String currentUrl() {
        return browser.getCurrentUrl();
    }

    /** Saves a screenshot of the window under target/screenshots, a test artifact to look at. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    private static By card(String businessId) {
        return By.cssSelector("[data-approval-id][data-business-id='" + businessId + "']");
    }
}

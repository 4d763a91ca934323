package io.hookrail.ops;

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

/** Hawtio 4's pages as a browser test drives them: the plugin navigation, the MBean tree and its filter. */
final class HawtioPage {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final WebDriver browser;
    private final WebDriverWait wait;

    HawtioPage(WebDriver browser) {
        this.browser = browser;
        this.wait = new WebDriverWait(browser, WAIT);
    }

    /** Opens the console's start page, which presets the connection and opens Hawtio on it. */
    void open(String consoleUrl) {
        browser.get(consoleUrl);
        wait.until(ExpectedConditions.urlContains(HawtioConsole.CONTEXT_PATH + "/"));
    }

    /** The connection Hawtio shows in its header, once it is connected. */
    String connectionName() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//*[contains(@class,'pf-v5-c-masthead')]//div[normalize-space()='" + HawtioConsole.CONNECTION
                        + "']"))).getText();
    }

    /** Clicks a plugin in the side navigation (Camel, JMX, Runtime) and waits for its tree. */
    void openPlugin(String name) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath(
                "//nav//a[contains(@class,'pf-v5-c-nav__link') and normalize-space()='" + name + "']"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("input-search")));
    }

    /**
     * Filters the plugin's tree by the text and selects the node of exactly that name; returns the node once the
     * details of what it stands for are shown beside the tree.
     */
    WebElement select(String filter, String node) {
        WebElement search = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("input-search")));
        search.clear();
        search.sendKeys(filter, Keys.ENTER);
        By nodeText = By.xpath("//button[contains(@class,'pf-v5-c-tree-view__node-text') and normalize-space()='"
                + node + "']");
        WebElement found = wait.until(ExpectedConditions.elementToBeClickable(nodeText));
        found.click();
        wait.until(ExpectedConditions.attributeContains(
                found.findElement(By.xpath(
                        "./ancestor::*[contains(concat(' ', @class, ' '), ' pf-v5-c-tree-view__node ')][1]")),
                "class", "pf-m-current"));
        return found;
    }

    /** Waits until the details pane (right of the tree) shows the text. */
    String awaitDetails(String text) {
        By details = By.cssSelector("main, .pf-v5-c-page__main");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(details, text));
        return browser.findElement(details).getText();
    }

    /** Opens a tab of the details pane (Attributes, Operations, Route Diagram...). */
    void openTab(String name) {
        wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//*[(self::a or self::button)"
                + " and (contains(@class,'pf-v5-c-nav__link') or contains(@class,'pf-v5-c-tabs__link'))"
                + " and normalize-space()='" + name + "']"))).click();
    }

    /** The value of an attribute in the Attributes tab, scrolled into view (and so into a screenshot). */
    String attribute(String name) {
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.xpath(
                "//tr[td[normalize-space()='" + name + "']]")));
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'nearest'})", row);
        return row.findElements(By.tagName("td")).get(1).getText();
    }

    /** Waits until more than so many elements match the CSS selector (diagram nodes, say); returns how many do. */
    int awaitElements(String cssSelector, int moreThan) {
        return wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(cssSelector), moreThan)).size();
    }

    /** Saves a screenshot of the window under target/screenshots, a test artifact to look at. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        return file;
    }
}

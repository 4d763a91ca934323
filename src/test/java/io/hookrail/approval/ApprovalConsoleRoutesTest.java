package io.hookrail.approval;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's files over HTTP, no browser needed: media types, security headers, and nothing else under
 * {@code /console} (a 404 problem+json, never a file of the request's choosing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApprovalConsoleRoutesTest {

    static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)", Pattern.CASE_INSENSITIVE);
    static final Pattern INLINE_STYLE_OR_HANDLER = Pattern.compile("<style|\\sstyle=|\\son[a-z]+=",
            Pattern.CASE_INSENSITIVE);

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HookrailInstance hookrail;

    @BeforeAll
    void start() {
        hookrail = HookrailInstance.builder().start();
    }

    @AfterAll
    void stop() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
            "/console/approvals, text/html; charset=utf-8",
            "/console/approvals.js, text/javascript; charset=utf-8",
            "/console/approvals.css, text/css; charset=utf-8"})
    void theConsoleFilesAreServedWithTheirTypeAndSecurityHeaders(String path, String contentType) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(200, answer.statusCode());
        assertEquals(contentType, header(answer, "Content-Type"));
        assertSecurityHeaders(answer);
        assertFalse(answer.body().isBlank());
    }

    @Test
    void thePageNeedsNoInlineScriptOrStyle() throws Exception {
        String html = get("/console/approvals").body();
        assertFalse(INLINE_SCRIPT.matcher(html).find(), "an inline script, which the policy refuses");
        assertFalse(INLINE_STYLE_OR_HANDLER.matcher(html).find(), "an inline style or event handler");
        assertTrue(html.contains("<script src=\"/console/approvals.js\""), "the page loads its script");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console", "/console/", "/console/approvals/", "/console/approvals.html",
            "/console/APPROVALS", "/console/nope.js", "/console/approvals.js.map", "/console/..%2Fapplication.properties",
            "/console/%2e%2e%2f%2e%2e%2fpom.xml", "/console/approvals%00.js", "/console/..%5C..%5Cpom.xml"})
    void anythingElseUnderConsoleIsA404Problem(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(404, answer.statusCode(), answer.body());
        assertEquals("application/problem+json", header(answer, "Content-Type"));
        assertTrue(answer.body().contains("\"type\":\"urn:hookrail:problem:not-found\""), answer.body());
        assertSecurityHeaders(answer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/../application.properties", "/console/../../pom.xml",
            "/console/%2e%2e/application.properties", "/console/approvals/../../../etc/passwd",
            "/console/./../routes/refund.camel.yaml"})
    void aPathOutOfTheFolderReachesNoFile(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(404, answer.statusCode(), answer.body());
        for (String leak : List.of("camel.main.name", "<project", "root:", "templatedRoute", "Exception", "\tat ")) {
            assertFalse(answer.body().contains(leak), path + " answered " + answer.body());
        }
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/console/approvals"))
                .POST(HttpRequest.BodyPublishers.ofString("token=x")).build(), HttpResponse.BodyHandlers.ofString());
        assertNotEquals(200, answer.statusCode());
        assertEquals(405, answer.statusCode(), answer.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> answer, String name) {
        return answer.headers().firstValue(name).orElse(null);
    }

    private static void assertSecurityHeaders(HttpResponse<?> answer) {
        assertEquals("no-store", header(answer, "Cache-Control"));
        assertEquals("nosniff", header(answer, "X-Content-Type-Options"));
        assertEquals("no-referrer", header(answer, "Referrer-Policy"));
        assertEquals("DENY", header(answer, "X-Frame-Options"));
        assertTrue(header(answer, "Content-Security-Policy").startsWith("default-src 'self'"),
                header(answer, "Content-Security-Policy"));
    }
}

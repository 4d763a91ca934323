package io.hookrail.ops.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both listeners answer a clear-text HTTP/2 upgrade request in HTTP/1.1, so the JDK's HttpClient, which asks for one
 * by default, never meets Vert.x's upgrade path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClearTextUpgradeTest {

    private HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void anUpgradeRequestIsAnsweredInHttp11() throws Exception {
        try (RawHttp client = new RawHttp(hookrail.httpPort())) {
            String answer = client.exchange("GET /api/flows HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
        }
    }

    @Test
    void theJdkClientStaysOnHttp11WithBothListeners() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String url : new String[] {hookrail.managementUrl() + "/observe/health/ready",
                hookrail.baseUrl() + "/api/flows"}) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_1_1, response.version(), url);
        }
    }
}

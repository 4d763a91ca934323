package io.hookrail.flow;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** YAML routes are loaded beside the Java ones from the folders {@code camel.main.routesIncludePattern} names. */
class YamlRoutesTest {

    @Test
    void yamlRoutesAreLoadedBesideJavaRoutes() throws Exception {
        try (HookrailInstance hookrail = HookrailInstance.builder()
                .property("camel.main.routesIncludePattern", "classpath:routes/*.camel.yaml,classpath:test-routes/*.camel.yaml")
                .start()) {
            assertEquals("webhook-ingest", hookrail.camelContext().getRoute("webhook-ingest").getRouteId());
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + "/test/yaml-probe")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("yaml route yaml-probe on hookrail", response.body());
        }
    }
}

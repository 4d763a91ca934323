package io.hookrail.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Calls the admin API over HTTP with a bearer token, as an operator's script would. */
public final class AdminClient {

    public static final String OPERATOR_TOKEN = "demo-operator-token";
    public static final String APPROVER_TOKEN = "demo-approver-token";
    public static final String APPROVER2_TOKEN = "demo-approver2-token";
    public static final String VIEWER_TOKEN = "demo-viewer-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String token;

    public AdminClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    public JsonNode post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** POSTs and returns the status code and body without failing on a refusal. */
    public HttpResponse<String> postRaw(String path, String json) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event ids of the dead letters of a flow. */
    public List<String> deadLetterEventIds(String flow) {
        List<String> ids = new ArrayList<>();
        get("/api/dlq?size=500&flow=" + flow).path("items").forEach(item -> ids.add(item.path("eventId").asText()));
        return ids;
    }

    /** The flow's dead letter of the event, if there is one. */
    public java.util.Optional<JsonNode> deadLetter(String flow, String eventId) {
        for (JsonNode item : get("/api/dlq?size=500&flow=" + flow).path("items")) {
            if (eventId.equals(item.path("eventId").asText())) {
                return java.util.Optional.of(item);
            }
        }
        return java.util.Optional.empty();
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

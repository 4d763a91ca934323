package io.hookrail.dlq;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.AdminTestUsers;
import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** No dead-letter endpoint answers without a valid bearer token (401), or to a token lacking the role (403). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DlqAccessTest {

    /** One of the endpoints. */
    record Endpoint(String method, String path, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final String UNKNOWN_ID = "ID:no-such-host-1-1:1:1:1:1";
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/dlq", null),
            new Endpoint("POST", "/api/dlq/" + UNKNOWN_ID + "/replay", null),
            new Endpoint("POST", "/api/dlq/replay", "{\"flow\": \"test-flow\"}"),
            new Endpoint("GET", "/api/dlq/" + UNKNOWN_ID, null));

    HookrailInstance hookrail;
    DlqFixture dlq;
    String letterId;

    @BeforeAll
    void start() throws Exception {
        hookrail = AdminTestUsers.apply(HookrailInstance.builder()).start();
        dlq = new DlqFixture(hookrail.brokerUrl(), hookrail.baseUrl());
    }

    @AfterAll
    void stop() throws Exception {
        if (dlq != null) {
            dlq.close();
        }
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @BeforeEach
    void oneDeadLetter() throws Exception {
        dlq.clear();
        letterId = dlq.put(DlqFixture.Letter.of("test-flow", "evt-guarded", "java.io.IOException", "down",
                java.time.Instant.now()));
    }

    HttpResponse<String> call(Endpoint endpoint, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(dlq.baseUrl() + endpoint.path()));
        if (endpoint.method().equals("GET")) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(endpoint.body() == null
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        }
        return dlq.send(request, authorization);
    }

    static void assertProblem(HttpResponse<String> response, int status, String what) throws Exception {
        assertEquals(status, response.statusCode(), what + ": " + response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), what);
        assertTrue(response.headers().firstValue("X-Correlation-Id").isPresent(), what);
        JsonNode problem = MAPPER.readTree(response.body());
        assertEquals(status, problem.get("status").asInt(), what);
    }

    @Test
    void withoutAValidTokenEveryEndpointIs401WithAChallenge() throws Exception {
        List<String> headers = new java.util.ArrayList<>(List.of("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                "Token " + AdminTestUsers.OPERATOR, AdminTestUsers.OPERATOR, "Bearer a b", "Bearer wrong-token",
                "Bearer " + AdminTestUsers.OPERATOR + "x", "Bearer demo-operator-token"));
        headers.add(null);
        for (Endpoint endpoint : ENDPOINTS) {
            for (String header : headers) {
                String what = endpoint + " with Authorization " + header;
                HttpResponse<String> response = call(endpoint, header);
                assertProblem(response, 401, what);
                assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), what);
            }
        }
        assertEquals(1, MAPPER.readTree(dlq.get("/api/dlq", AdminTestUsers.VIEWER).body()).get("total").asInt(),
                "a refused request replayed something");
    }

    @Test
    void onlyOperatorsReplay() throws Exception {
        for (String token : List.of(AdminTestUsers.VIEWER, AdminTestUsers.APPROVER, AdminTestUsers.APPROVER2)) {
            for (Endpoint replay : List.of(ENDPOINTS.get(2),
                    new Endpoint("POST", "/api/dlq/" + letterId + "/replay", null))) {
                HttpResponse<String> response = call(replay, "Bearer " + token);
                assertProblem(response, 403, replay + " as " + token.substring(0, 8));
                assertTrue(response.headers().firstValue("WWW-Authenticate").isEmpty());
                assertEquals("urn:hookrail:problem:forbidden", MAPPER.readTree(response.body()).get("type").asText());
            }
        }
        assertEquals(1, MAPPER.readTree(dlq.get("/api/dlq", AdminTestUsers.VIEWER).body()).get("total").asInt(),
                "a forbidden replay moved the dead letter");

        // the operator passes the guard: unknown id, then a bulk replay of the flow
        assertProblem(call(ENDPOINTS.get(1), "Bearer " + AdminTestUsers.OPERATOR), 404, "operator, unknown id");
        HttpResponse<String> bulk = call(ENDPOINTS.get(2), "Bearer " + AdminTestUsers.OPERATOR);
        assertEquals(200, bulk.statusCode(), bulk.body());
        assertEquals(1, MAPPER.readTree(bulk.body()).get("replayed").asInt());
    }

    @Test
    void everyRoleMayList() throws Exception {
        for (Map.Entry<String, String> user : Map.of("viewer", AdminTestUsers.VIEWER, "operator",
                AdminTestUsers.OPERATOR, "approver", AdminTestUsers.APPROVER, "approver2", AdminTestUsers.APPROVER2)
                .entrySet()) {
            HttpResponse<String> response = call(ENDPOINTS.get(0), "Bearer " + user.getValue());
            assertEquals(200, response.statusCode(), user.getKey());
            assertEquals(letterId, MAPPER.readTree(response.body()).get("items").get(0).get("id").asText());
            HttpResponse<String> one = call(new Endpoint("GET", "/api/dlq/" + letterId, null), "Bearer " + user.getValue());
            assertEquals(200, one.statusCode(), user.getKey());
            assertEquals(letterId, MAPPER.readTree(one.body()).get("id").asText());
        }
        // the scheme is case-insensitive
        assertEquals(200, call(ENDPOINTS.get(0), "bearer " + AdminTestUsers.VIEWER).statusCode());
    }
}

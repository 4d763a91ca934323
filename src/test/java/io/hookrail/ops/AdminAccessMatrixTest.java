package io.hookrail.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 401/403 matrix: every admin endpoint, asked without a token, with a wrong one, and with each role's token.
 * Without a valid token the answer is 401 with a Bearer challenge; a role the endpoint does not allow gets 403; an
 * allowed role gets past the access check (to the endpoint's own answer, here often 404 for an unknown id).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminAccessMatrixTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NO_TOKEN = null;
    static final String WRONG_TOKEN = "not-a-token";
    static final String VIEWER = "demo-viewer-token";
    static final String OPERATOR = "demo-operator-token";
    static final String APPROVER = "demo-approver-token";

    /** An admin endpoint and the roles' tokens it lets in. */
    record Endpoint(String method, String path, String body, Set<String> allowed) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static final Set<String> EVERY_ROLE = Set.of(VIEWER, OPERATOR, APPROVER);
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("GET", "/api/dlq", null, EVERY_ROLE),
            new Endpoint("GET", "/api/dlq/ID:unknown-1", null, EVERY_ROLE),
            new Endpoint("POST", "/api/dlq/ID:unknown-1/replay", "", Set.of(OPERATOR)),
            new Endpoint("POST", "/api/dlq/replay", "{\"flow\":\"order-fulfilment\"}", Set.of(OPERATOR)),
            new Endpoint("GET", "/api/quarantine", null, EVERY_ROLE),
            new Endpoint("GET", "/api/quarantine/ID:unknown-1", null, EVERY_ROLE),
            new Endpoint("POST", "/api/quarantine/ID:unknown-1/replay", "", Set.of(OPERATOR)),
            new Endpoint("POST", "/api/quarantine/replay", "{\"flow\":\"refund\"}", Set.of(OPERATOR)),
            new Endpoint("GET", "/api/approvals", null, EVERY_ROLE),
            new Endpoint("POST", "/api/approvals/APR-unknown/approve", "{}", Set.of(APPROVER)),
            new Endpoint("POST", "/api/approvals/APR-unknown/reject", "{}", Set.of(APPROVER)),
            new Endpoint("GET", "/api/audit", null, EVERY_ROLE),
            new Endpoint("GET", "/api/audit/verify", null, EVERY_ROLE),
            new Endpoint("GET", "/api/reconciliation", null, EVERY_ROLE));

    HookrailInstance hookrail;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().start();
    }

    @AfterAll
    void stopHookrail() {
        hookrail.close();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> rows = new ArrayList<>();
        for (Endpoint endpoint : ENDPOINTS) {
            for (String token : Stream.of(NO_TOKEN, WRONG_TOKEN, VIEWER, OPERATOR, APPROVER).toList()) {
                rows.add(Arguments.of(endpoint, token));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("matrix")
    void everyAdminEndpointChecksTokenAndRole(Endpoint endpoint, String token) throws Exception {
        HttpResponse<String> answer = send(endpoint, token);
        if (token == null || token.equals(WRONG_TOKEN)) {
            assertEquals(401, answer.statusCode(), answer.body());
            assertTrue(answer.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                    "a 401 names its scheme");
            assertProblem(answer);
        } else if (endpoint.allowed().contains(token)) {
            assertNotEquals(401, answer.statusCode(), answer.body());
            assertNotEquals(403, answer.statusCode(), answer.body());
        } else {
            assertEquals(403, answer.statusCode(), answer.body());
            assertProblem(answer);
        }
    }

    static void assertProblem(HttpResponse<String> answer) throws Exception {
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                answer.headers().toString());
        assertTrue(JSON.readTree(answer.body()).path("detail").isTextual(), answer.body());
    }

    HttpResponse<String> send(Endpoint endpoint, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hookrail.baseUrl() + endpoint.path()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (endpoint.body() == null) {
            request.GET();
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(endpoint.body()));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

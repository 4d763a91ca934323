package io.hookrail.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bearer-token guard on a Camel exchange, and the 401/403 answers it leads to. */
class AdminAccessTest {

    private final CamelContext camel = new DefaultCamelContext();
    private final AdminAccess access = new AdminAccess(AdminTokens.fromProperties(AdminTestUsers.properties()::get));

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Exchange request(String authorization) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, "/api/dlq");
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
        if (authorization != null) {
            exchange.getMessage().setHeader("Authorization", authorization);
        }
        return exchange;
    }

    private AdminAccessException refused(String authorization, AdminRole... allowed) {
        return assertThrows(AdminAccessException.class, () -> access.require(request(authorization), allowed));
    }

    @Test
    void acceptsAValidTokenOfAnAllowedRoleAndRecordsTheUser() throws Exception {
        Exchange exchange = request("Bearer " + AdminTestUsers.OPERATOR);
        access.allowing(AdminRole.OPERATOR).process(exchange);
        assertEquals("operator", exchange.getProperty(AdminAccess.USER_PROPERTY));
        assertEquals(AdminRole.OPERATOR, exchange.getProperty(AdminAccess.ROLE_PROPERTY));

        // the scheme is case-insensitive, surrounding blanks are ignored
        assertEquals("viewer", access.require(request("bearer  " + AdminTestUsers.VIEWER + " "),
                AdminRole.anyRole()).name());
    }

    @Test
    void withoutAWellFormedBearerTokenItIs401() {
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                AdminTestUsers.OPERATOR, "Bearer " + AdminTestUsers.OPERATOR + " extra", "Bearer a\"b",
                "Bearer " + "x".repeat(5000)}) {
            AdminAccessException refusal = refused(header, AdminRole.anyRole());
            assertEquals(401, refusal.status(), String.valueOf(header));
            assertEquals("Bearer realm=\"hookrail\"", refusal.challenge());
        }
        // the header sent twice
        Exchange twice = request(null);
        twice.getMessage().setHeader("Authorization", java.util.List.of("Bearer a", "Bearer b"));
        assertThrows(AdminAccessException.class, () -> access.require(twice, AdminRole.anyRole()));
    }

    @Test
    void anUnknownTokenIs401InvalidToken() {
        AdminAccessException refusal = refused("Bearer not-a-configured-token", AdminRole.anyRole());
        assertEquals(401, refusal.status());
        assertEquals("Bearer realm=\"hookrail\", error=\"invalid_token\"", refusal.challenge());
    }

    @Test
    void aValidTokenOfAnotherRoleIs403() {
        AdminAccessException refusal = refused("Bearer " + AdminTestUsers.VIEWER, AdminRole.OPERATOR);
        assertEquals(403, refusal.status());
        assertNull(refusal.challenge());
        assertEquals("User 'viewer' has role viewer; this needs operator", refusal.getMessage());
        assertEquals(403, refused("Bearer " + AdminTestUsers.APPROVER2, AdminRole.OPERATOR).status());
        assertEquals(403, refused("Bearer " + AdminTestUsers.OPERATOR, AdminRole.APPROVER).status());
    }

    @Test
    void answersRefusalsAsProblemJson() throws Exception {
        Exchange exchange = request("Bearer wrong");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, refused("Bearer wrong", AdminRole.anyRole()));
        assertTrue(AdminAccess.answerRefusal(exchange));
        assertEquals(401, exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertEquals(HttpAnswers.PROBLEM_JSON, exchange.getMessage().getHeader(Exchange.CONTENT_TYPE));
        assertEquals("Bearer realm=\"hookrail\", error=\"invalid_token\"",
                exchange.getMessage().getHeader(AdminAccess.CHALLENGE_HEADER));
        assertFalse(exchange.getMessage().getHeaders().containsKey("Authorization"), "request header echoed");
        JsonNode problem = HttpAnswers.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        assertEquals("urn:hookrail:problem:unauthorized", problem.get("type").asText());
        assertEquals(401, problem.get("status").asInt());

        Exchange forbidden = request("Bearer " + AdminTestUsers.VIEWER);
        forbidden.setProperty(Exchange.EXCEPTION_CAUGHT, refused("Bearer " + AdminTestUsers.VIEWER, AdminRole.OPERATOR));
        assertTrue(AdminAccess.answerRefusal(forbidden));
        assertEquals(403, forbidden.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE));
        assertNull(forbidden.getMessage().getHeader(AdminAccess.CHALLENGE_HEADER));

        Exchange other = request(null);
        other.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("boom"));
        assertFalse(AdminAccess.answerRefusal(other));
    }

    @Test
    void aGuardMustNameARole() {
        assertThrows(IllegalArgumentException.class, () -> access.allowing());
    }
}

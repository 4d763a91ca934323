package io.hookrail.ops.http;

import java.util.Map;

import io.vertx.core.http.ClientAuth;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The listener limits as configured, and Camel's client authentication names in Vert.x's terms. */
class HttpListenerLimitsTest {

    @Test
    void theDefaultsBoundEveryConnectionAndAskForNoCertificate() {
        assertEquals(new HttpListenerLimits(60, 30_000, 1000, ClientAuth.NONE),
                HttpListenerLimits.fromProperties(Map.<String, String>of()::get));
    }

    @Test
    void camelsClientAuthenticationMapsToVertxs() {
        assertEquals(ClientAuth.REQUEST, HttpListenerLimits.clientAuth("want"));
        assertEquals(ClientAuth.REQUIRED, HttpListenerLimits.clientAuth(" REQUIRE "));
        assertEquals(ClientAuth.NONE, HttpListenerLimits.clientAuth("NONE"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HttpListenerLimits.clientAuth("REQUEST"));
        assertEquals("camel.ssl.clientAuthentication must be NONE, WANT or REQUIRE, was REQUEST", refused.getMessage());
    }

    @Test
    void aLimitThatIsNotAPositiveWholeNumberStopsStartup() {
        assertEquals("hookrail.http.maxConnections must be a whole number, was 'many'",
                assertThrows(IllegalArgumentException.class, () -> HttpListenerLimits.fromProperties(
                        Map.of(HttpListenerLimits.MAX_CONNECTIONS, "many")::get)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpListenerLimits.fromProperties(
                Map.of(HttpListenerLimits.REQUEST_TIMEOUT, "0")::get));
    }
}

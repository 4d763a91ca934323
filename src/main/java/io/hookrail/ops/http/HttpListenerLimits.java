package io.hookrail.ops.http;

import java.util.Locale;
import java.util.function.Function;

import io.vertx.core.http.ClientAuth;

/**
 * What every Hookrail HTTP listener (business and management) enforces on its connections: the idle timeout, the
 * time a request may take to arrive whole, the cap on open connections, and, on a TLS listener, whether client
 * certificates are asked for ({@code camel.ssl.clientAuthentication}).
 *
 * @param idleTimeoutSeconds    a connection with no bytes in or out for this long is closed ({@code 0}: never)
 * @param requestTimeoutMillis  a request's headers must arrive within this time of the connection opening or of the
 *                              previous response (else the connection is closed), its body within this time of its
 *                              headers (else 408 and the connection is closed)
 * @param maxConnections        open connections per listener; each one above is answered 503 and closed
 * @param clientAuth            Vert.x's mapping of {@code camel.ssl.clientAuthentication}
 */
public record HttpListenerLimits(int idleTimeoutSeconds, long requestTimeoutMillis, int maxConnections,
                                 ClientAuth clientAuth) {

    public static final String IDLE_TIMEOUT = "hookrail.http.idleTimeoutSeconds";
    public static final String REQUEST_TIMEOUT = "hookrail.http.requestTimeoutMillis";
    public static final String MAX_CONNECTIONS = "hookrail.http.maxConnections";
    public static final String CLIENT_AUTHENTICATION = "camel.ssl.clientAuthentication";

    public HttpListenerLimits {
        if (idleTimeoutSeconds < 0 || requestTimeoutMillis <= 0 || maxConnections <= 0) {
            throw new IllegalArgumentException(IDLE_TIMEOUT + " must be 0 or more, " + REQUEST_TIMEOUT + " and "
                    + MAX_CONNECTIONS + " more than 0; were " + idleTimeoutSeconds + ", " + requestTimeoutMillis
                    + ", " + maxConnections);
        }
    }

    /**
     * Reads the limits from configuration.
     *
     * @param property resolves a property key to its value, or null when it is not set
     */
    public static HttpListenerLimits fromProperties(Function<String, String> property) {
        return new HttpListenerLimits(
                (int) number(property, IDLE_TIMEOUT, 60),
                number(property, REQUEST_TIMEOUT, 30_000),
                (int) number(property, MAX_CONNECTIONS, 1000),
                clientAuth(property.apply(CLIENT_AUTHENTICATION)));
    }

    /** Camel's {@code NONE|WANT|REQUIRE} as Vert.x's {@code NONE|REQUEST|REQUIRED}. */
    static ClientAuth clientAuth(String camel) {
        String value = camel == null || camel.isBlank() ? "NONE" : camel.trim().toUpperCase(Locale.ROOT);
        return switch (value) {
            case "NONE" -> ClientAuth.NONE;
            case "WANT" -> ClientAuth.REQUEST;
            case "REQUIRE" -> ClientAuth.REQUIRED;
            default -> throw new IllegalArgumentException(CLIENT_AUTHENTICATION + " must be NONE, WANT or REQUIRE, was "
                    + camel);
        };
    }

    private static long number(Function<String, String> property, String key, long fallback) {
        String value = property.apply(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'", e);
        }
    }
}

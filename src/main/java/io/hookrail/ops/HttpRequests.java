package io.hookrail.ops;

import java.util.Locale;
import java.util.Set;

import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Reads an HTTP request as it came off the wire (the Vert.x request behind platform-http), not through Camel's
 * message headers: platform-http copies every query parameter into a header, so {@code ?webhook-id=...} or
 * {@code ?Authorization=...} would otherwise read like a request header.
 */
public final class HttpRequests {

    private HttpRequests() {
    }

    /** The Vert.x request of a platform-http exchange, or null when the exchange did not come from HTTP. */
    public static HttpServerRequest request(Exchange exchange) {
        return exchange.getIn() instanceof HttpMessage http ? http.getRequest() : null;
    }

    /**
     * The first value of a request header (case-insensitive), from the request itself. An exchange that did not come
     * from platform-http (a unit test, a direct call) falls back to the Camel header.
     */
    public static String header(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        return request != null ? request.getHeader(name) : exchange.getMessage().getHeader(name, String.class);
    }

    /** How many times the request carries the header (0 when absent). */
    public static int headerCount(Exchange exchange, String name) {
        HttpServerRequest request = request(exchange);
        if (request != null) {
            return request.headers().getAll(name).size();
        }
        Object value = exchange.getMessage().getHeader(name);
        return value == null ? 0 : value instanceof java.util.Collection<?> list ? list.size() : 1;
    }

    /**
     * The first query parameter whose name, stripped and in any case, is one of {@code reserved} (given in lower
     * case); null when there is none.
     */
    public static String reservedQueryParameter(Exchange exchange, Set<String> reserved) {
        HttpServerRequest request = request(exchange);
        if (request == null) {
            return null;
        }
        for (String name : request.params().names()) {
            String canonical = name.strip().toLowerCase(Locale.ROOT);
            if (reserved.contains(canonical) || canonical.startsWith("camel")) {
                return name;
            }
        }
        return null;
    }

    /** The client's IP address as the TCP connection shows it (no forwarded header is trusted), or "unknown". */
    public static String clientAddress(Exchange exchange) {
        HttpServerRequest request = request(exchange);
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String host = request.remoteAddress().hostAddress();
        return host == null ? "unknown" : host;
    }
}

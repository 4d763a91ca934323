package io.hookrail.ops;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reading admin API requests safely: query parameters and path segments come from the raw request line, never from
 * Camel headers, which a request header of the same name could set.
 */
public final class AdminRequests {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRequests.class);
    /** A store outage is usually a failover or a restart: seconds, not minutes. */
    private static final int STORE_RETRY_AFTER_SECONDS = 5;

    private AdminRequests() {
    }

    /**
     * The query parameters, decoded from the raw query string; a listed parameter given twice, or holding a control
     * character (a %00 reaches PostgreSQL as an error, not as a filter), is refused.
     */
    public static Map<String, String> query(Exchange exchange, Set<String> names) throws ApiProblem {
        String raw = exchange.getMessage().getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (raw == null) {
            raw = exchange.getMessage().getHeader(Exchange.HTTP_QUERY, String.class);
        }
        Map<String, String> parameters = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                if (names.contains(name) && parameters.putIfAbsent(name, value) != null) {
                    throw ApiProblem.badRequest("Query parameter " + name + " is given more than once");
                }
                if (names.contains(name) && hasControlCharacter(value)) {
                    throw ApiProblem.badRequest("Query parameter " + name + " must not hold control characters");
                }
            } catch (IllegalArgumentException e) {
                throw ApiProblem.badRequest("The query string is not well-formed");
            }
        }
        return parameters;
    }

    /** An integer parameter within bounds, or the fallback when absent. */
    public static int integer(Map<String, String> query, String name, int fallback, int min, int max) throws ApiProblem {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiProblem.badRequest(name + " must be an integer from " + min + " to " + max + ": " + printable(value));
    }

    /** The instant an {@code olderThan} ISO-8601 duration parameter points to, or null when absent. */
    public static Instant olderThan(Map<String, String> query, Clock clock) throws ApiProblem {
        String olderThan = query.get("olderThan");
        if (olderThan == null || olderThan.isBlank()) {
            return null;
        }
        try {
            Duration age = Duration.parse(olderThan.trim());
            if (age.isNegative()) {
                throw ApiProblem.badRequest("olderThan must not be negative: " + printable(olderThan));
            }
            return Instant.now(clock).minus(age);
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest("olderThan is not an ISO-8601 duration such as PT15M: " + printable(olderThan));
        }
    }

    /**
     * The path segment between a prefix and a suffix of the matched path, %XX-decoded ('+' stays '+'); empty when
     * the path does not have that shape or the segment is not well-formed or holds a control character (no id has
     * one, and a NUL would reach PostgreSQL as an error, not as an unknown id).
     */
    public static String pathSegment(Exchange exchange, String prefix, String suffix) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() < prefix.length() + suffix.length()) {
            return "";
        }
        try {
            String segment = URLDecoder.decode(path.substring(prefix.length(), path.length() - suffix.length())
                    .replace("+", "%2B"), StandardCharsets.UTF_8);
            return hasControlCharacter(segment) ? "" : segment;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    /** Whether the failure or one of its causes is of the type. */
    public static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    public static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A request value safe to echo in an answer or a log line: bounded, no control characters. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    /**
     * The admin routes' {@code onException}: a refused token, an {@link ApiProblem}, the store unavailable (503 with
     * {@code Retry-After}), or an unexpected failure (500), each as problem+json.
     */
    public static void fail(Exchange exchange) {
        if (AdminAccess.answerRefusal(exchange)) {
            return;
        }
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof ApiProblem problem) {
            HttpAnswers.problem(exchange, problem.status(), problem.type(), problem.title(), problem.getMessage(), null);
        } else if (causedBy(failure, SQLException.class)) {
            LOG.warn("Admin request failed: the store is unavailable", failure);
            HttpAnswers.problem(exchange, 503, "store-unavailable", "Store unavailable",
                    "The store cannot be reached; try again later", null)
                    .setHeader("Retry-After", String.valueOf(STORE_RETRY_AFTER_SECONDS));
        } else {
            LOG.error("Admin request failed", failure);
            HttpAnswers.problem(exchange, 500, "internal-error", "Internal error",
                    "The request failed; see the log for correlation id "
                            + exchange.getProperty(HttpAnswers.CORRELATION_PROPERTY, String.class), null);
        }
    }
}

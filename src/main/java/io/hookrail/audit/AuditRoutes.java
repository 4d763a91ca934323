package io.hookrail.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit admin API, open to every admin role:
 * <ul>
 * <li>{@code GET /api/audit?actor=&action=&subject=&from=&to=&page=&size=}: entries newest first; filters match
 * exactly, {@code from} (inclusive) and {@code to} (exclusive) are ISO-8601 date-times with offset, e.g.
 * {@code 2026-11-23T10:00:00Z}; {@code page} from 0, {@code size} 1 to 500 (default 50). Answers
 * {@code {"items": [{"seq", "at", "actor", "action", "subject", "correlationId", "detail": {...}, "hash",
 * "prevHash"}], "page", "size", "total"}}.</li>
 * <li>{@code GET /api/audit/verify}: {@code {"valid": true, "entries": n}} or {@code {"valid": false, "entries": n,
 * "firstBrokenSeq": k, "problem": "..."}}.</li>
 * </ul>
 */
public class AuditRoutes extends RouteBuilder {

    static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(AuditRoutes.class);
    private static final Set<String> LIST_PARAMETERS = Set.of("actor", "action", "subject", "from", "to", "page",
            "size");

    @BeanInject
    private AdminAccess access;
    @BeanInject(AuditTrail.BEAN)
    private AuditTrail trail;

    @Override
    public void configure() {
        from("platform-http:/api/audit?httpMethodRestrict=GET")
                .routeId("audit-list")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/audit/verify?httpMethodRestrict=GET")
                .routeId("audit-verify")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::verify);
    }

    void list(Exchange exchange) throws AuditProblem {
        Map<String, String> query = query(exchange);
        AuditQuery filter;
        try {
            filter = new AuditQuery(blankToNull(query.get("actor")), blankToNull(query.get("action")),
                    blankToNull(query.get("subject")), instant(query, "from"), instant(query, "to"),
                    integer(query, "page", 0, 0, Integer.MAX_VALUE),
                    integer(query, "size", AuditQuery.DEFAULT_SIZE, 1, AuditQuery.MAX_SIZE));
        } catch (IllegalArgumentException e) {
            throw AuditProblem.badRequest(e.getMessage());
        }
        HttpAnswers.json(exchange, 200, trail.list(filter).toJson().toString());
    }

    void verify(Exchange exchange) {
        AuditVerification verification = trail.verify();
        LOG.info("Audit trail verified by '{}': {}", exchange.getProperty(AdminAccess.USER_PROPERTY, String.class),
                verification.valid() ? "intact, " + verification.entries() + " entries"
                        : "broken at entry " + verification.firstBrokenSeq() + ": " + verification.problem());
        HttpAnswers.json(exchange, 200, verification.toJson().toString());
    }

    /** The routes' {@code onException}: every failure becomes problem+json. */
    void fail(Exchange exchange) {
        if (AdminAccess.answerRefusal(exchange)) {
            return;
        }
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof AuditProblem problem) {
            HttpAnswers.problem(exchange, problem.status(), problem.type(), problem.title(), problem.getMessage(),
                    null);
        } else if (causedBy(failure, SQLException.class)) {
            LOG.warn("Audit request failed: the store is unavailable", failure);
            HttpAnswers.problem(exchange, 503, "store-unavailable", "Store unavailable",
                    "The audit store cannot be reached; try again later", null)
                    .setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        } else {
            LOG.error("Audit request failed", failure);
            HttpAnswers.problem(exchange, 500, "internal-error", "Internal error",
                    "The request failed; see the log for correlation id "
                            + exchange.getProperty(HttpAnswers.CORRELATION_PROPERTY, String.class), null);
        }
    }

    /** The query parameters, decoded from the raw query string (not from headers, which the request could set). */
    static Map<String, String> query(Exchange exchange) throws AuditProblem {
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
            String name;
            String value;
            try {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw AuditProblem.badRequest("The query string is not well-formed");
            }
            if (LIST_PARAMETERS.contains(name) && parameters.putIfAbsent(name, value) != null) {
                throw AuditProblem.badRequest("Query parameter " + name + " is given more than once");
            }
        }
        return parameters;
    }

    /** An ISO-8601 date-time with offset; a '+' of the offset sent unencoded arrives as a space and is taken back. */
    static Instant instant(Map<String, String> query, String name) throws AuditProblem {
        String value = blankToNull(query.get(name));
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw AuditProblem.badRequest(name + " is not an ISO-8601 date-time such as 2026-11-23T10:00:00Z: "
                    + printable(value));
        }
    }

    private static int integer(Map<String, String> query, String name, int fallback, int min, int max)
            throws AuditProblem {
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
        throw AuditProblem.badRequest(name + " must be an integer from " + min + " to " + max + ": "
                + printable(value));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String printable(String value) {
        String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
        return shown.replaceAll("[\\p{Cntrl}]", "?");
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}

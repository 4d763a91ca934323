package io.hookrail.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
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
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/audit/verify?httpMethodRestrict=GET")
                .routeId("audit-verify")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::verify);
    }

    void list(Exchange exchange) throws ApiProblem {
        Map<String, String> query = AdminRequests.query(exchange, LIST_PARAMETERS);
        AuditQuery filter;
        try {
            filter = new AuditQuery(AdminRequests.blankToNull(query.get("actor")),
                    AdminRequests.blankToNull(query.get("action")), AdminRequests.blankToNull(query.get("subject")),
                    instant(query, "from"), instant(query, "to"),
                    AdminRequests.integer(query, "page", 0, 0, Integer.MAX_VALUE),
                    AdminRequests.integer(query, "size", AuditQuery.DEFAULT_SIZE, 1, AuditQuery.MAX_SIZE));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
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

    /** An ISO-8601 date-time with offset; a '+' of the offset sent unencoded arrives as a space and is taken back. */
    static Instant instant(Map<String, String> query, String name) throws ApiProblem {
        String value = AdminRequests.blankToNull(query.get(name));
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim().replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " is not an ISO-8601 date-time such as 2026-11-23T10:00:00Z: "
                    + AdminRequests.printable(value));
        }
    }
}

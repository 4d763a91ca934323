package io.hookrail.sandbox;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.audit.AuditTrail;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The sandbox of downstream systems under {@code /sandbox}: fake ERP, payments, email and CRM APIs that flows call
 * over HTTP as they would call the real ones, the ledger of their side effects, the lookup of a call by its
 * {@code Idempotency-Key}, and fault injection. No route exists when {@code hookrail.sandbox.enabled} is false.
 */
public class SandboxRoutes extends RouteBuilder {

    /** The sandbox has no sign-in: whoever reached it injected the fault. */
    private static final String ACTOR = "sandbox-user";

    @BeanInject
    private DataSource dataSource;
    @BeanInject(AuditTrail.BEAN)
    private AuditTrail audit;
    @PropertyInject(value = "hookrail.sandbox.enabled", defaultValue = "true")
    private boolean enabled;
    @PropertyInject(value = "hookrail.sandbox.retention", defaultValue = DEFAULT_RETENTION)
    private String retention;
    @PropertyInject(value = "hookrail.sandbox.purgeIntervalMillis", defaultValue = "3600000")
    private long purgeIntervalMillis;

    /** How long the sandbox keeps its ledger entries and stored idempotent responses (ISO-8601). */
    static final String DEFAULT_RETENTION = "P1D";

    @Override
    public void configure() throws Exception {
        if (!enabled) {
            log.info("Sandbox disabled: no /sandbox routes");
            return;
        }
        Map<String, java.util.Set<String>> operations = new java.util.TreeMap<>(SandboxOperation.operationsBySystem());
        operations.computeIfPresent(SandboxFeed.SYSTEM, (system, known) -> {
            java.util.Set<String> all = new java.util.TreeSet<>(known);
            all.add(SandboxFeed.OPERATION); // the feed a polling source pages: faults can take it down alone
            return all;
        });
        SandboxFaults faults = new SandboxFaults(dataSource, operations);
        SandboxLedger ledger = new SandboxLedger(dataSource);
        SandboxIdempotency idempotency = new SandboxIdempotency(dataSource);
        // a service, so its batch writer starts and stops with Camel
        getContext().addService(idempotency);
        SandboxCalls calls = new SandboxCalls(faults, idempotency, ledger, Clock.systemUTC());
        SandboxRequestLookup lookup = new SandboxRequestLookup(idempotency);
        Duration keep = Duration.parse(retention);
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("hookrail.sandbox.retention must be a positive ISO-8601 duration");
        }
        log.warn("Sandbox of the downstream systems on at /sandbox, for loopback callers only (demo use): "
                + "hookrail.sandbox.enabled=false turns it off");

        for (SandboxOperation operation : SandboxOperation.values()) {
            from("platform-http:/sandbox" + operation.path() + "?httpMethodRestrict=POST")
                    .routeId(operation.routeId())
                    .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                    .process(SandboxAccess::requireLoopback)
                    .process(CorrelationIds::assign)
                    .process(exchange -> calls.handle(exchange, operation));
        }

        from("platform-http:/sandbox/ledger?httpMethodRestrict=GET,DELETE")
                .routeId("sandbox-ledger")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(SandboxAccess::requireLoopback)
                .process(CorrelationIds::assign)
                .process(exchange -> {
                    Message message = exchange.getMessage();
                    if ("DELETE".equals(message.getHeader(Exchange.HTTP_METHOD, String.class))) {
                        int purged = ledger.purge(null);
                        log.info("Sandbox ledger and stored responses purged: {} rows", purged);
                        HttpAnswers.json(exchange, 200, HttpAnswers.MAPPER.createObjectNode().put("purged", purged)
                                .toString());
                        return;
                    }
                    String businessId = message.getHeader("businessId", String.class);
                    if (businessId != null && businessId.chars().anyMatch(Character::isISOControl)) {
                        throw SandboxRejection.invalid("businessId must not hold control characters");
                    }
                    int page = pageParameter(message, "page", 0, Integer.MAX_VALUE / SandboxLedger.MAX_PAGE_SIZE);
                    int size = pageParameter(message, "size", SandboxLedger.DEFAULT_PAGE_SIZE,
                            SandboxLedger.MAX_PAGE_SIZE);
                    if (size == 0) {
                        throw SandboxRejection.invalid("size must be an integer from 1 to " + SandboxLedger.MAX_PAGE_SIZE);
                    }
                    SandboxLedger.Page found = ledger.page(businessId == null || businessId.isEmpty() ? null : businessId,
                            page, size);
                    ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
                    ArrayNode items = answer.putArray("items");
                    found.entries().forEach(entry -> items.add(entry.toJson()));
                    answer.put("page", found.page()).put("size", found.size()).put("total", found.total());
                    HttpAnswers.json(exchange, 200, answer.toString());
                });

        // the ERP's invoices by reference, as a flow's reconciliation hook reads them (docs/operations.md)
        SandboxInvoices invoices = new SandboxInvoices(dataSource);
        from("platform-http:/sandbox/erp/invoices?httpMethodRestrict=GET")
                .routeId("sandbox-erp-invoices")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(SandboxAccess::requireLoopback)
                .process(CorrelationIds::assign)
                .process(exchange -> {
                    String reference = exchange.getMessage().getHeader("reference", String.class);
                    if (reference == null || reference.isBlank() || reference.chars().anyMatch(Character::isISOControl)) {
                        throw SandboxRejection.invalid("reference (the business id the invoices were made for) is required");
                    }
                    HttpAnswers.json(exchange, 200, invoices.byReference(reference).toString());
                });

        // the ledger and the stored responses are demo data: kept for the retention, then purged
        // singleton (ADR 9): the ledger is in the shared store
        from("master:sandbox-purge:timer:sandbox-purge?delay=" + Math.min(purgeIntervalMillis, 60_000)
                + "&period=" + purgeIntervalMillis)
                .routeId("sandbox-purge")
                .process(exchange -> {
                    int purged = ledger.purge(Instant.now().minus(keep));
                    if (purged > 0) {
                        log.info("Sandbox rows older than {} purged: {}", keep, purged);
                    }
                });

        from("platform-http:" + SandboxRequestLookup.PATH + "?httpMethodRestrict=GET")
                .routeId("sandbox-request-lookup")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(SandboxAccess::requireLoopback)
                .process(CorrelationIds::assign)
                .process(lookup::handle);

        SandboxFeed feed = new SandboxFeed(dataSource, faults, Clock.systemUTC());
        from("platform-http:" + SandboxFeed.PATH + "?httpMethodRestrict=GET,POST")
                .routeId("sandbox-erp-paid-invoices")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(SandboxAccess::requireLoopback)
                .process(CorrelationIds::assign)
                .process(feed::handle);

        from("platform-http:/sandbox/faults?httpMethodRestrict=GET,POST,DELETE")
                .routeId("sandbox-faults")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(SandboxAccess::requireLoopback)
                .process(CorrelationIds::assign)
                .process(exchange -> manageFaults(exchange, faults));
    }

    private void manageFaults(Exchange exchange, SandboxFaults faults) throws SandboxRejection, SQLException {
        Message message = exchange.getMessage();
        switch (message.getHeader(Exchange.HTTP_METHOD, "", String.class)) {
            case "POST" -> {
                SandboxFaults.Fault fault = faults.parse(readJson(message));
                faults.inject(fault);
                log.warn("Sandbox fault injected: {}", fault);
                audit.append(ACTOR, "sandbox.fault.injected", fault.system(),
                        exchange.getProperty(CorrelationIds.PROPERTY, String.class),
                        Map.of("fault", fault.toJson()));
                HttpAnswers.json(exchange, 204, null);
            }
            case "DELETE" -> {
                faults.clear();
                log.info("Sandbox faults cleared");
                audit.append(ACTOR, "sandbox.faults.cleared", "sandbox",
                        exchange.getProperty(CorrelationIds.PROPERTY, String.class), Map.of());
                HttpAnswers.json(exchange, 204, null);
            }
            default -> {
                ArrayNode list = HttpAnswers.MAPPER.createArrayNode();
                faults.list().forEach(fault -> list.add(fault.toJson()));
                HttpAnswers.json(exchange, 200, list.toString());
            }
        }
    }

    /** An optional integer query parameter from 0 to max, or its default when absent. */
    private static int pageParameter(Message message, String name, int defaultValue, int max) throws SandboxRejection {
        String value = message.getHeader(name, String.class);
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        if (!value.matches("\\d{1,9}") || Integer.parseInt(value) > max) {
            throw SandboxRejection.invalid(name + " must be an integer from 0 to " + max);
        }
        return Integer.parseInt(value);
    }

    private static JsonNode readJson(Message message) throws SandboxRejection {
        byte[] body = message.getBody(byte[].class);
        try {
            return body == null || body.length == 0 ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (IOException e) {
            throw SandboxRejection.invalid("The body is not valid JSON");
        }
    }
}

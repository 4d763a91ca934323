package io.hookrail.sandbox;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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

    @Override
    public void configure() {
        if (!enabled) {
            log.info("Sandbox disabled: no /sandbox routes");
            return;
        }
        SandboxFaults faults = new SandboxFaults(SandboxOperation.operationsBySystem());
        SandboxLedger ledger = new SandboxLedger(dataSource);
        SandboxIdempotency idempotency = new SandboxIdempotency(dataSource);
        SandboxCalls calls = new SandboxCalls(faults, idempotency, ledger, Clock.systemUTC());
        SandboxRequestLookup lookup = new SandboxRequestLookup(idempotency);

        for (SandboxOperation operation : SandboxOperation.values()) {
            from("platform-http:/sandbox" + operation.path() + "?httpMethodRestrict=POST")
                    .routeId(operation.routeId())
                    .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                    .process(CorrelationIds::assign)
                    .process(exchange -> calls.handle(exchange, operation));
        }

        from("platform-http:/sandbox/ledger?httpMethodRestrict=GET")
                .routeId("sandbox-ledger")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(CorrelationIds::assign)
                .process(exchange -> {
                    String businessId = exchange.getMessage().getHeader("businessId", String.class);
                    ArrayNode entries = HttpAnswers.MAPPER.createArrayNode();
                    ledger.list(businessId == null || businessId.isEmpty() ? null : businessId)
                            .forEach(entry -> entries.add(entry.toJson()));
                    HttpAnswers.json(exchange, 200, entries.toString());
                });

        from("platform-http:" + SandboxRequestLookup.PATH + "?httpMethodRestrict=GET")
                .routeId("sandbox-request-lookup")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(CorrelationIds::assign)
                .process(lookup::handle);

        from("platform-http:/sandbox/faults?httpMethodRestrict=GET,POST,DELETE")
                .routeId("sandbox-faults")
                .onException(Exception.class).handled(true).process(SandboxRejection::answer).end()
                .process(CorrelationIds::assign)
                .process(exchange -> manageFaults(exchange, faults));
    }

    private void manageFaults(Exchange exchange, SandboxFaults faults) throws SandboxRejection {
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

    private static JsonNode readJson(Message message) throws SandboxRejection {
        byte[] body = message.getBody(byte[].class);
        try {
            return body == null || body.length == 0 ? null : HttpAnswers.MAPPER.readTree(body);
        } catch (IOException e) {
            throw SandboxRejection.invalid("The body is not valid JSON");
        }
    }
}

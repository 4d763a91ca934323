package io.hookrail.sandbox;

import java.io.IOException;
import java.time.Clock;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The sandbox of downstream systems under {@code /sandbox}: fake ERP, payments, email and CRM APIs that flows call
 * over HTTP as they would call the real ones, the ledger of their side effects, and fault injection. No route exists
 * when {@code hookrail.sandbox.enabled} is false.
 */
public class SandboxRoutes extends RouteBuilder {

    @BeanInject
    private DataSource dataSource;
    @PropertyInject(value = "hookrail.sandbox.enabled", defaultValue = "true")
    private boolean enabled;

    @Override
    public void configure() {
        if (!enabled) {
            log.info("Sandbox disabled: no /sandbox routes");
            return;
        }
        SandboxFaults faults = new SandboxFaults(SandboxOperation.systems());
        SandboxLedger ledger = new SandboxLedger(dataSource);
        SandboxCalls calls = new SandboxCalls(faults, new SandboxIdempotency(dataSource), ledger, Clock.systemUTC());

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
                HttpAnswers.json(exchange, 204, null);
            }
            case "DELETE" -> {
                faults.clear();
                log.info("Sandbox faults cleared");
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

package io.hookrail.flow;

import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DeadLetterWriter;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Platform routes the YAML flows lean on: writing dead letters, dead-lettering a compensation that gave up, and
 * keeping the flow keys of this instance alive.
 */
public class FlowRoutes extends RouteBuilder {

    @BeanInject
    private DeadLetterWriter deadLetters;

    @Override
    public void configure() {
        // called by the flows' dead letter channel; inside the consuming JMS transaction, so the dead letter and the
        // acknowledgement of the original message commit together
        from("direct:dead-letter")
                .routeId("dead-letter")
                .process(deadLetters::describe)
                .toD("jms:queue:DLQ.${exchangeProperty.flow}?deliveryPersistent=true")
                .bean(FlowOutcomes.BEAN, "deadLettered");

        // a compensation runs on an exchange of its own: rebuild the event message from the flow context
        from("direct:compensation-failed")
                .routeId("compensation-failed")
                .process(exchange -> {
                    var event = exchange.getVariable(FlowContext.EVENT_VARIABLE, com.fasterxml.jackson.databind.JsonNode.class);
                    exchange.setProperty(DeadLetterWriter.COMPENSATION_FAILED, true);
                    var message = exchange.getMessage();
                    message.getHeaders().clear();
                    message.setBody(event.toString());
                    message.setHeader(EventTopics.EVENT_ID_HEADER, event.path("id").asText());
                    message.setHeader(EventTopics.EVENT_TYPE_HEADER, event.path("type").asText());
                    message.setHeader(EventTopics.CORRELATION_ID_HEADER, event.path("correlationid").asText());
                })
                .to("direct:dead-letter");

        from("timer:flow-key-heartbeat?period={{hookrail.flow.keyHeartbeatMillis:15000}}")
                .routeId("flow-key-heartbeat")
                .bean("flowIdempotency", "heartbeat");

        from("timer:flow-key-purge?delay=60000&period=3600000")
                .routeId("flow-key-purge")
                .bean("flowIdempotency", "purgeCompletedOlderThan('{{hookrail.flow.keyRetention:P90D}}')");
    }
}

package io.hookrail.ops.tracing;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.JmsSpanDecorator;

/**
 * The span of a JMS consumer or producer, which for a flow is its run: tagged with the event it carries and, once the
 * run read the event, the flow. Its parent is the {@code traceparent} the gateway put on the message, so the run
 * continues the webhook's trace across the broker.
 */
public class FlowMessageSpanDecorator extends JmsSpanDecorator {

    @Override
    public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
        super.beforeTracingEvent(span, exchange, endpoint);
        EventAttributes.tagMessage(span::setTag, exchange);
    }

    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        EventAttributes.tag(span::setTag, exchange);
    }
}

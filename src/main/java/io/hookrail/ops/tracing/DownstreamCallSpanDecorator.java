package io.hookrail.ops.tracing;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.HttpSpanDecorator;

/**
 * The span of an {@code http:} call, which in a flow is a step's downstream call: named {@code POST erp} after its
 * method and system, and tagged with the step, the system and the event. Camel's tracer injects {@code traceparent}
 * into the call's headers, so the downstream system's spans join the event's trace.
 */
public class DownstreamCallSpanDecorator extends HttpSpanDecorator {

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        return DownstreamCalls.name(super.getOperationName(exchange, endpoint), exchange);
    }

    @Override
    public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
        super.beforeTracingEvent(span, exchange, endpoint);
        EventAttributes.tagCall(span::setTag, exchange);
    }
}

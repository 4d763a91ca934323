package io.hookrail.ops.tracing;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.HttpsSpanDecorator;

/** The span of an {@code https:} downstream call: as {@link DownstreamCallSpanDecorator} for {@code http:}. */
public class SecureDownstreamCallSpanDecorator extends HttpsSpanDecorator {

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

package io.hookrail.ops.tracing;

import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.PlatformHttpSpanDecorator;

/**
 * The span of a request to Hookrail's business listener, the root of a webhook's trace: tagged, once answered, with
 * the correlation id and the event id the gateway read (a refused delivery may have neither).
 */
public class HttpServerSpanDecorator extends PlatformHttpSpanDecorator {

    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        EventAttributes.tag(span::setTag, exchange);
    }
}

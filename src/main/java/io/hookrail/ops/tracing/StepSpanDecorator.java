package io.hookrail.ops.tracing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.telemetry.Span;
import org.apache.camel.telemetry.decorators.AbstractInternalSpanDecorator;

/**
 * Names the span of a flow step, a call of the {@code downstream-call-action} kamelet, after its step (say
 * {@code invoice.markPaid}) and tags it with the step, the system and the event; any other kamelet's span keeps the
 * kamelet's name. Found by Camel's tracer through {@code META-INF/services/org.apache.camel.telemetry.SpanDecorator}.
 */
public class StepSpanDecorator extends AbstractInternalSpanDecorator {

    @Override
    public String getComponent() {
        return "kamelet";
    }

    @Override
    public String getComponentClassName() {
        return "org.apache.camel.component.kamelet.KameletComponent";
    }

    @Override
    public String getOperationName(Exchange exchange, Endpoint endpoint) {
        String step = parameter(endpoint, "step");
        return step != null ? step : super.getOperationName(exchange, endpoint);
    }

    @Override
    public void beforeTracingEvent(Span span, Exchange exchange, Endpoint endpoint) {
        super.beforeTracingEvent(span, exchange, endpoint);
        // the kamelet sets the step and system properties only inside: its parameters name them already
        EventAttributes.put(span::setTag, EventAttributes.STEP, parameter(endpoint, "step"));
        EventAttributes.put(span::setTag, EventAttributes.SYSTEM, parameter(endpoint, "system"));
    }

    @Override
    public void afterTracingEvent(Span span, Exchange exchange) {
        super.afterTracingEvent(span, exchange);
        EventAttributes.tag(span::setTag, exchange);
    }

    /** A parameter of the kamelet's endpoint URI, decoded; null when it has none of that name. */
    static String parameter(Endpoint endpoint, String name) {
        String value = toQueryParameters(endpoint.getEndpointUri()).get(name);
        return value == null ? null : URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}

package io.hookrail.ops.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.apache.camel.Processor;

/**
 * Hookrail's own spans beside the ones Camel's tracer makes per endpoint and route, and the trace context of the
 * current span for a message another thread sends. Off (the default), every method costs nothing: processors are
 * returned as they are and no context is captured.
 */
public final class Tracing {

    /** The registry name of the bean. */
    public static final String BEAN = "hookrailTracing";

    /** Tracing off: no spans, no trace context. */
    public static final Tracing OFF = new Tracing(null, null);

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    private Tracing(Tracer tracer, TextMapPropagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** Tracing on, with spans from this OpenTelemetry and its propagators (W3C trace context). */
    public static Tracing on(OpenTelemetry openTelemetry) {
        return new Tracing(openTelemetry.getTracer(TracingConfiguration.INSTRUMENTATION),
                openTelemetry.getPropagators().getTextMapPropagator());
    }

    public boolean enabled() {
        return tracer != null;
    }

    /**
     * The processor in a span of this name, a child of the current one (the route's span, which Camel's tracer made
     * current on this thread), tagged with the exchange's event and correlation ids; a failure marks it failed. Off:
     * the processor itself. For the gateway's steps, which are {@code process} calls, not endpoints: Camel's tracer
     * only spans those with {@code traceProcessors}, which spans every processor of every route.
     */
    public Processor span(String name, Processor step) {
        if (tracer == null) {
            return step;
        }
        return exchange -> {
            Span span = tracer.spanBuilder(name).setParent(Context.current()).startSpan();
            try (Scope ignored = span.makeCurrent()) {
                step.process(exchange);
                Exception failure = exchange.getException();
                if (failure != null) {
                    failed(span, failure);
                }
            } catch (Exception | Error e) {
                failed(span, e);
                throw e;
            } finally {
                EventAttributes.tag(span::setAttribute, exchange);
                span.end();
            }
        };
    }

    /**
     * The W3C trace context ({@code traceparent}, {@code tracestate}) of the current span, to send with a message
     * that another thread writes; empty when off or when no span is current.
     */
    public Map<String, String> currentContext() {
        if (propagator == null) {
            return Map.of();
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(Context.current(), carrier, Map::put);
        return carrier.isEmpty() ? Map.of() : Map.copyOf(carrier);
    }

    // the type only: a refusal's message can echo what the sender sent, which the logs mask and a span would not
    private static void failed(Span span, Throwable failure) {
        span.setAttribute("exception.type", failure.getClass().getName());
        span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
    }
}

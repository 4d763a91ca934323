package io.hookrail.probe;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hookrail.flow.FlowNames;
import io.hookrail.ingest.WebhookSources;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The synthetic probe ({@link SyntheticProbes}), when {@code hookrail.probe.enabled}: a singleton job (ADR 9) that
 * every {@code hookrail.probe.checkMillis} records the probes that ended and, every
 * {@code hookrail.probe.intervalMillis}, sends a new round through the gateway over HTTP, as a sender would.
 */
public class ProbeRoutes extends RouteBuilder {

    private static final String REQUEST = "probeRequest";

    @BeanInject("webhookSources")
    private WebhookSources sources;
    @BeanInject(EventTimeline.BEAN)
    private EventTimeline timeline;
    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @PropertyInject(value = "hookrail.probe.intervalMillis", defaultValue = "60000")
    private long intervalMillis;
    @PropertyInject(value = "hookrail.probe.timeoutMillis", defaultValue = "30000")
    private long timeoutMillis;

    @Override
    public void configure() {
        SyntheticProbes probes = new SyntheticProbes(sources, this::flowsByType, timeline, metrics, Clock.systemUTC(),
                Duration.ofMillis(intervalMillis), Duration.ofMillis(timeoutMillis));
        getContext().getRegistry().bind(SyntheticProbes.BEAN, probes);

        from("master:synthetic-probe:timer:synthetic-probe?period={{hookrail.probe.checkMillis}}")
                .routeId("synthetic-probe")
                .autoStartup("{{hookrail.probe.enabled}}")
                .bean(SyntheticProbes.BEAN, "tick")
                .split(body())
                    .setProperty(REQUEST, body())
                    .process(exchange -> {
                        SyntheticProbes.Request request = exchange.getProperty(REQUEST, SyntheticProbes.Request.class);
                        exchange.getMessage().getHeaders().clear();
                        exchange.getMessage().getHeaders().putAll(request.headers());
                        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
                        exchange.getMessage().setBody(request.body());
                    })
                    .toD("{{hookrail.probe.gatewayUrl}}/webhooks/${exchangeProperty." + REQUEST
                            + ".source}?throwExceptionOnFailure=false")
                    .process(exchange -> probes.sent(exchange.getProperty(REQUEST, SyntheticProbes.Request.class),
                            exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class)))
                .end();
    }

    /** The flows of each event type, from their entries' {@code eventType}. */
    private Map<String, List<String>> flowsByType() {
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (String flow : FlowNames.of(getContext())) {
            String type = FlowNames.parameter(getContext(), flow, "eventType", null);
            if (type != null) {
                byType.computeIfAbsent(type, t -> new java.util.ArrayList<>()).add(flow);
            }
        }
        return byType;
    }
}

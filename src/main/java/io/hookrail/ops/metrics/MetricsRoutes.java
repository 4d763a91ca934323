package io.hookrail.ops.metrics;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import io.hookrail.approval.ApprovalStore;
import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.flow.FlowNames;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/**
 * Samples the DLQ and approval gauges every {@code hookrail.metrics.sampleIntervalMillis} on the instance holding the
 * {@code metrics-sample} singleton; on every instance, once every flow's route exists, creates the flows' counters at
 * zero.
 */
public class MetricsRoutes extends RouteBuilder {

    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @BeanInject(DeadLetterReplays.BEAN)
    private DeadLetterReplays deadLetters;
    @BeanInject
    private ApprovalStore approvals;

    @Override
    public void configure() {
        MetricsSampler sampler = new MetricsSampler(metrics, deadLetters.store(), approvals, Clock.systemUTC());
        // each instance's own counters, at zero once every flow's route exists (the first tick, after startup)
        from("timer:metrics-counters?repeatCount=1")
                .routeId("metrics-counters")
                .process(exchange -> metrics.flowsKnown(FlowNames.of(getContext()).stream()
                        .collect(Collectors.toMap(flow -> flow, this::version))));
        // the gauges of shared things (the broker's DLQs, the store's pending approvals): one instance reads them
        // (ADR 9), so N instances do not browse every dead letter N times
        from("master:metrics-sample:timer:metrics-sample?period={{hookrail.metrics.sampleIntervalMillis}}")
                .routeId("metrics-sample")
                .process(exchange -> sampler.sample(FlowNames.of(getContext())));
    }

    /** The flow's version: the {@code version} parameter of its {@code flow-entry} template (default 1). */
    private String version(String flow) {
        RouteDefinition route = getContext().getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition(flow);
        Object version = route == null ? null : route.getTemplateParameters().get("version");
        return version == null ? "1" : version.toString();
    }
}

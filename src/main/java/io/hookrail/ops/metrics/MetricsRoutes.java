package io.hookrail.ops.metrics;

import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

import io.hookrail.approval.ApprovalStore;
import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.flow.FlowNames;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * Samples the DLQ and approval gauges every {@code hookrail.metrics.sampleIntervalMillis} on the instance holding the
 * {@code metrics-sample} singleton (the others show them at zero); on every instance, once every flow's route exists,
 * creates the flows' counters at zero.
 */
public class MetricsRoutes extends RouteBuilder {

    /** The singleton namespace of the shared gauges' sampling. */
    private static final String SAMPLING = "metrics-sample";

    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @BeanInject(DeadLetterReplays.BEAN)
    private DeadLetterReplays deadLetters;
    @BeanInject
    private ApprovalStore approvals;
    private volatile boolean countersCreated;

    @Override
    public void configure() {
        MetricsSampler sampler = new MetricsSampler(metrics, deadLetters.store(), approvals, Clock.systemUTC());
        // on each instance: its own counters, at zero once every flow's route exists (the first tick, after startup);
        // and, while another instance holds the sampling, the shared gauges at zero, not frozen at what this instance
        // read when it last held it (ADR 9)
        from("timer:metrics-local?period={{hookrail.metrics.sampleIntervalMillis}}")
                .routeId("metrics-local")
                .process(exchange -> {
                    List<String> flows = FlowNames.of(getContext());
                    if (!countersCreated) {
                        metrics.flowsKnown(flows.stream().collect(Collectors.toMap(flow -> flow,
                                flow -> FlowNames.stableVersion(getContext(), flow))));
                        flows.forEach(flow -> metrics.flowInfo(flow, FlowNames.stableVersion(getContext(), flow),
                                FlowNames.parameter(getContext(), flow, "owner", "none"),
                                FlowNames.parameter(getContext(), flow, "riskTier", "none"),
                                FlowNames.parameter(getContext(), flow, "kpi", "none")));
                        countersCreated = true;
                    }
                    boolean sampling = ClusterServiceHelper.lookupService(getContext())
                            .map(cluster -> cluster.isLeader(SAMPLING)).orElse(true);
                    if (!sampling) {
                        sampler.zero(flows);
                    }
                });
        // the gauges of shared things (the broker's DLQs, the store's pending approvals): one instance reads them
        // (ADR 9), so N instances do not browse every dead letter N times
        from("master:" + SAMPLING + ":timer:metrics-sample?period={{hookrail.metrics.sampleIntervalMillis}}")
                .routeId("metrics-sample")
                .process(exchange -> sampler.sample(FlowNames.of(getContext())));
    }
}

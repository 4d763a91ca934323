package io.hookrail.ops.metrics;

import io.hookrail.ops.timeline.EventTimeline;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/**
 * Binds Hookrail's meters on the Prometheus registry that Camel's Micrometer support serves at
 * {@code /observe/metrics}, and adds the observer that times downstream calls.
 */
@Configuration
public class MetricsConfiguration implements CamelConfiguration {

    /** The name under which Camel's Micrometer support binds the Prometheus registry it serves. */
    static final String REGISTRY = "metricsRegistry";

    /** Lazy: Camel's Micrometer support binds its registry while Camel Main configures the context. */
    @BindToRegistry(value = HookrailMetrics.BEAN, lazy = true)
    public HookrailMetrics hookrailMetrics(CamelContext context, @BeanInject(REGISTRY) MeterRegistry registry,
                                           @BeanInject(EventTimeline.BEAN) EventTimeline timeline) {
        HookrailMetrics metrics = new HookrailMetrics(registry);
        metrics.timelineDrops(timeline::dropped);
        metrics.readiness(() -> HealthCheckHelper.invokeReadiness(context).stream()
                .allMatch(result -> result.getState() == HealthCheck.State.UP));
        return metrics;
    }

    @Override
    public void configure(CamelContext context) {
        context.getManagementStrategy().addEventNotifier(new DownstreamCallObserver());
    }
}

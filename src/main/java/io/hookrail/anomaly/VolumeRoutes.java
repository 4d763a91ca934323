package io.hookrail.anomaly;

import java.time.Clock;

import javax.sql.DataSource;

import io.hookrail.ops.metrics.HookrailMetrics;
import org.apache.camel.BeanInject;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.cluster.ClusterServiceHelper;

/**
 * The volume check every {@code hookrail.volume.checkMillis}, on the instance holding the {@code volume} singleton
 * (ADR 9); the others show their gauges with no anomaly, so an alert taking the max over instances follows the
 * current holder. Off with {@code hookrail.volume.enabled=false}.
 */
public class VolumeRoutes extends RouteBuilder {

    /** The singleton namespace of the check. */
    private static final String SINGLETON = "volume";

    @BeanInject
    private DataSource dataSource;
    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @PropertyInject(value = "hookrail.volume.enabled", defaultValue = "true")
    private boolean enabled;
    @PropertyInject(value = "hookrail.volume.alpha", defaultValue = "0.3")
    private double alpha;
    @PropertyInject(value = "hookrail.volume.dropRatio", defaultValue = "0.5")
    private double dropRatio;
    @PropertyInject(value = "hookrail.volume.spikeRatio", defaultValue = "3")
    private double spikeRatio;
    @PropertyInject(value = "hookrail.volume.minimumExpected", defaultValue = "20")
    private double minimumExpected;
    @PropertyInject(value = "hookrail.volume.recentHours", defaultValue = "24")
    private int recentHours;

    @Override
    public void configure() {
        if (!enabled) {
            return;
        }
        VolumeCheck check = new VolumeCheck(dataSource, metrics,
                new VolumeModel(alpha, dropRatio, spikeRatio, minimumExpected), recentHours, Clock.systemUTC());

        from("master:" + SINGLETON + ":timer:volume?delay={{hookrail.volume.checkMillis}}"
                + "&period={{hookrail.volume.checkMillis}}")
                .routeId("volume-check")
                .process(exchange -> check.run());
        from("timer:volume-local?period={{hookrail.volume.checkMillis}}")
                .routeId("volume-local")
                .filter(exchange -> !ClusterServiceHelper.lookupService(getContext())
                        .map(cluster -> cluster.isLeader(SINGLETON)).orElse(true))
                .process(exchange -> check.standBy());
    }
}

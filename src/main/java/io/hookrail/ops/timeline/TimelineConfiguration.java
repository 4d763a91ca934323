package io.hookrail.ops.timeline;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/**
 * Binds the {@link EventTimeline} as bean {@value EventTimeline#BEAN}: lazy, as it needs the store, and a Camel service,
 * so it writes what is queued when Hookrail stops.
 */
@Configuration
public class TimelineConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.timeline.retention", defaultValue = "P14D")
    private String retention;
    @PropertyInject(value = "hookrail.timeline.flushIntervalMillis", defaultValue = "200")
    private long flushIntervalMillis;
    @PropertyInject(value = "hookrail.timeline.queueCapacity", defaultValue = "10000")
    private int queueCapacity;

    @BindToRegistry(value = EventTimeline.BEAN, lazy = true)
    public EventTimeline eventTimeline(CamelContext context, @BeanInject DataSource dataSource) throws Exception {
        EventTimeline timeline = new EventTimeline(dataSource, Clock.systemUTC(), Duration.parse(retention),
                flushIntervalMillis, queueCapacity);
        timeline.setCamelContext(context);
        context.addService(timeline);
        return timeline;
    }
}

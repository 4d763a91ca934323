package io.hookrail.poll;

import java.time.Clock;

import javax.sql.DataSource;

import io.hookrail.ingest.EventAdmission;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ingest.WebhookSources;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.InstanceIdentity;
import io.hookrail.ops.timeline.EventTimeline;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.RouteBuilder;

/**
 * The platform side of the polling sources declared in YAML (template {@code polling-source}, ADR 12): the
 * {@link PollingSources} bean the template's route calls, {@code GET /api/sources/{name}} and
 * {@code POST /api/sources/{name}/rerun}, the {@link PollingService} MBean, and each source's gauges at 0 on the
 * instances that do not hold its poller (ADR 9).
 */
public class PollingRoutes extends RouteBuilder {

    @BeanInject
    private DataSource dataSource;
    @BeanInject
    private AdminAccess access;
    @BeanInject
    private EventContracts contracts;
    @BeanInject
    private WebhookSources webhookSources;
    @BeanInject(EventTimeline.BEAN)
    private EventTimeline timeline;
    @BeanInject(InstanceIdentity.BEAN)
    private InstanceIdentity identity;
    @BeanInject("metricsRegistry")
    private MeterRegistry registry;
    @PropertyInject(value = "hookrail.poll.tickMillis", defaultValue = "1000")
    private long tickMillis;
    @PropertyInject(value = "hookrail.poll.maxPagesPerWindow", defaultValue = "1000")
    private int maxPagesPerWindow;

    @Override
    public void configure() throws Exception {
        if (tickMillis < 100 || tickMillis > 1000) {
            // a window starts at the first tick after its planned instant, which is a second or more off second 0
            throw new IllegalArgumentException("hookrail.poll.tickMillis must be from 100 to 1000, not " + tickMillis);
        }
        Clock clock = Clock.systemUTC();
        CamelContext context = getContext();
        PollMetrics metrics = new PollMetrics(registry, clock);
        PollingSources sources = new PollingSources(context, new PollWatermarks(dataSource),
                () -> context.getRegistry().lookupByNameAndType(EventAdmission.BEAN, EventAdmission.class), contracts,
                timeline, metrics, clock, identity.id(), maxPagesPerWindow);
        context.getRegistry().bind(PollingSources.BEAN, sources);
        PollingApi api = new PollingApi(sources);
        context.addService(new PollingService(sources, api));
        // the YAML routes are loaded after this builder: their sources are checked once the routes exist
        context.addStartupListener((StartupListener) (camel, alreadyStarted) -> check(sources, metrics));

        from("platform-http:" + PollingApi.PREFIX + "{name}?httpMethodRestrict=GET")
                .routeId("poll-source-status")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(api::show);

        from("platform-http:" + PollingApi.PREFIX + "{name}" + PollingApi.RERUN + "?httpMethodRestrict=POST")
                .routeId("poll-source-rerun")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(api::rerun);

        from("timer:poll-local?period=5000")
                .routeId("poll-local")
                .process(exchange -> sources.all().values().stream().filter(source -> !sources.holds(source))
                        .forEach(source -> sources.notHolding(source.name())));
    }

    /** Every source valid, named apart from the webhook sources, of a type with a contract; its meters at zero. */
    private void check(PollingSources sources, PollMetrics metrics) {
        sources.all().values().forEach(source -> {
            if (webhookSources.find(source.name()).isPresent()) {
                throw new IllegalArgumentException("polling source '" + source.name() + "' has the name of a webhook"
                        + " source: each source is its own deduplication namespace");
            }
            if (contracts.majors(source.eventType()).isEmpty()) {
                throw new IllegalArgumentException("polling source '" + source.name() + "': event type '"
                        + source.eventType() + "' has no data contract among the webhook sources' types");
            }
            metrics.known(source);
        });
    }
}

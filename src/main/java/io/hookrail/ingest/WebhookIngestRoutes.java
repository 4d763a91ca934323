package io.hookrail.ingest;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.jms.ConnectionFactory;

import io.hookrail.broker.EventSeal;
import io.hookrail.privacy.PersonalData;
import io.hookrail.store.IngestPool;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.ops.tracing.Tracing;
import org.apache.camel.BeanInject;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * The webhook gateway {@code POST /webhooks/{source}}, the housekeeping of its deduplication receipts, and the
 * opt-in {@link EventRecorder} of accepted events.
 */
public class WebhookIngestRoutes extends RouteBuilder {

    @BeanInject
    private DataSource dataSource;
    @BeanInject(IngestPool.BEAN)
    private IngestPool ingestPool;
    @BeanInject("jmsConnectionFactory")
    private ConnectionFactory connectionFactory;
    @BeanInject(EventSeal.BEAN)
    private EventSeal seal;
    @BeanInject
    private WebhookSources sources;
    @BeanInject
    private EventContracts contracts;
    @BeanInject
    private SourceRateLimits rateLimits;
    @BeanInject
    private ClientRateLimits clientLimits;
    @BeanInject
    private ClientCertificates clientCertificates;
    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;
    @BeanInject(EventTimeline.BEAN)
    private EventTimeline timeline;
    @BeanInject(PersonalData.BEAN)
    private PersonalData personalData;
    @BeanInject(Tracing.BEAN)
    private Tracing tracing;
    @PropertyInject(value = "hookrail.ingest.retryAfterSeconds", defaultValue = "5")
    private int retryAfterSeconds;
    @PropertyInject(value = "hookrail.ingest.batch.maxSize", defaultValue = "128")
    private int batchMaxSize;
    @PropertyInject(value = "hookrail.ingest.batch.lingerMicros", defaultValue = "500")
    private long batchLingerMicros;
    @PropertyInject(value = "hookrail.broker.sendTimeoutMillis", defaultValue = "5000")
    private long sendTimeoutMillis;
    @PropertyInject(value = "hookrail.recorder.dir", defaultValue = "")
    private String recorderDir;
    @PropertyInject(value = "hookrail.recorder.maxPerType", defaultValue = "100")
    private int recorderMaxPerType;
    @PropertyInject(value = "hookrail.ingest.receiptRetention", defaultValue = "P30D")
    private String receiptRetention;

    @Override
    public void configure() throws Exception {
        Clock clock = Clock.systemUTC();
        IngestReceipts receipts = new IngestReceipts(dataSource);
        // group commit on the gateway's own store pool; a delivery waits for its batch as long as for a broker send
        EventAdmission admission = new EventAdmission(ingestPool.dataSource(), receipts,
                new TransactedJmsPublisher(connectionFactory, seal), contracts, personalData, clock, retryAfterSeconds,
                batchMaxSize, batchLingerMicros, sendTimeoutMillis, tracing::currentContext);
        getContext().getRegistry().bind(EventAdmission.BEAN, admission);
        // added after the broker's pool, so stopped before it: the writer's last batch still reaches the broker
        getContext().addService(admission, true, true);
        WebhookIntake intake = new WebhookIntake(sources, contracts, rateLimits, clientLimits, clientCertificates, admission,
                clock, metrics, timeline);
        metrics.sourcesKnown(sources.all().stream().collect(Collectors.toMap(WebhookSource::name, WebhookSource::eventTypes)));

        from("platform-http:/webhooks/{source}?httpMethodRestrict=POST")
                .routeId(GatewayOpening.ROUTE_ID)
                .autoStartup(false) // opened by GatewayOpening once every flow's queue exists
                .onException(Exception.class).handled(true).process(intake::reject).end()
                .process(CorrelationIds::assign)
                .process(intake::limitClient) // 429 per client address before any work: a flood is cheap to refuse
                .process(intake::refuseHeaderLookalikes) // 401: signature material only from request headers
                .process(intake::resolveSource)
                .process(intake::checkClientCertificate) // 401: a source's pinned TLS client certificate
                .process(intake::checkEventId) // 400: a non-canonical id is refused, never trimmed
                .process(intake::verifySignature)
                .process(intake::limitRate) // 429 per source, charged only for verified deliveries
                .process(intake::readEvent)
                // spans "validate" and "persist" when tracing is on (ADR 14); the plain processors when off
                .process(tracing.span("validate", intake::checkContract))
                .process(tracing.span("persist", intake::admit))
                .filter(exchange -> !recorderDir.isBlank() && exchange.getProperty(WebhookIntake.ACCEPTED) != null)
                // off the hot path: the answer does not wait, and a full queue drops the example, never the event
                .wireTap("seda:event-recorder?size=1000&discardWhenFull=true").end();

        if (!recorderDir.isBlank()) {
            EventRecorder recorder = new EventRecorder(Path.of(recorderDir), recorderMaxPerType, contracts,
                    personalData.fields());
            from("seda:event-recorder?size=1000")
                    .routeId("event-recorder")
                    .process(exchange -> recorder.record(exchange.getProperty(WebhookIntake.ACCEPTED, String.class)));
        }

        Duration retention = Duration.parse(receiptRetention);
        // singleton (ADR 9): one instance at a time purges the shared receipts
        from("master:ingest-receipt-purge:timer:ingest-receipt-purge?delay=60000"
                + "&period={{hookrail.ingest.receiptPurgeIntervalMillis:3600000}}")
                .routeId("ingest-receipt-purge")
                .process(exchange -> {
                    int purged = receipts.purgeOlderThan(Instant.now(clock).minus(retention));
                    if (purged > 0) {
                        log.info("Purged {} ingest receipts older than {}", purged, retention);
                    }
                });
    }
}

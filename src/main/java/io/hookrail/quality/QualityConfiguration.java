package io.hookrail.quality;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import jakarta.jms.ConnectionFactory;

import io.hookrail.audit.AuditTrail;
import io.hookrail.broker.EventSeal;
import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.dlq.DeadLetterStore;
import io.hookrail.dlq.ParkingQueue;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.policy.OrderFacts;
import io.hookrail.policy.PolicyFileException;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@value DataQuality#BEAN}, its rules read from the {@code dataQuality} section of {@code hookrail.policy.file}
 * (a bad section stops Hookrail with the file, line and problem), {@code quarantine}, and
 * {@value Quarantine#REPLAYS_BEAN}, which browses and replays {@code QUARANTINE.<flow>} as the DLQ's replays do
 * {@code DLQ.<flow>}. All are lazy: made when the flows start, after the store and the broker.
 */
@Configuration
public class QualityConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(QualityConfiguration.class);

    @PropertyInject(value = "hookrail.policy.file", defaultValue = "classpath:policies.yaml")
    private String file;
    @PropertyInject(value = "hookrail.dlq.replayReceiveTimeoutMillis", defaultValue = "5000")
    private long replayReceiveTimeoutMillis;

    @BindToRegistry(value = DataQuality.BEAN, lazy = true)
    public DataQuality dataQuality(CamelContext context, @BeanInject("orderFacts") OrderFacts orders)
            throws Exception {
        String location = ResourceHelper.hasScheme(file) ? file : "file:" + file;
        String yaml;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, location)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        DataQualityRules rules;
        try {
            rules = DataQualityFile.parse(file, yaml, QualityConfiguration::hasContract);
        } catch (PolicyFileException e) {
            LOG.error("The data-quality rules of the policy file are not valid; Hookrail does not start:\n{}",
                    e.getMessage());
            throw e;
        }
        LOG.info("Data-quality rules of {} loaded for {}", file, rules.eventTypes());
        return new DataQuality(rules, (entity, id) -> switch (entity) {
            case "order" -> orders.isKnown(id);
            default -> throw new IllegalStateException("no ids known of " + entity);
        });
    }

    @BindToRegistry(lazy = true)
    public Quarantine quarantine(@BeanInject(HookrailMetrics.BEAN) HookrailMetrics metrics,
                                 @BeanInject(EventTimeline.BEAN) EventTimeline timeline) {
        return new Quarantine(metrics, timeline, Clock.systemUTC());
    }

    @BindToRegistry(value = Quarantine.REPLAYS_BEAN, lazy = true)
    public DeadLetterReplays quarantineReplays(
            @BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory,
            @BeanInject(AuditTrail.BEAN) AuditTrail audit, @BeanInject(EventTimeline.BEAN) EventTimeline timeline,
            @BeanInject(EventSeal.BEAN) EventSeal seal) {
        return new DeadLetterReplays(new DeadLetterStore(connectionFactory, replayReceiveTimeoutMillis, seal,
                ParkingQueue.QUARANTINE), audit, timeline, Clock.systemUTC());
    }

    /** Whether Hookrail ships a data contract of the type (its v1). */
    static boolean hasContract(String eventType) {
        return QualityConfiguration.class.getResource(EventContracts.resource(eventType, EventContracts.DEFAULT_MAJOR))
                != null;
    }
}

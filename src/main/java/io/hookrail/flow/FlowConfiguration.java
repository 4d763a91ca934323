package io.hookrail.flow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.hookrail.audit.AuditTrail;
import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import org.apache.camel.saga.InMemorySagaService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the YAML flows refer to by name: {@code flowIdempotency}, {@code flowEntry}, {@code flowSteps},
 * {@code flowFailureCounter}, {@code flowOutcomes}, {@code flowRedelivery} and the saga service. The store-backed
 * beans are lazy, so they are made when the routes start, after the data source exists and before any flow consumes.
 */
@Configuration
public class FlowConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FlowConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @PropertyInject(value = "hookrail.data.dir", defaultValue = "data")
    private String dataDir;
    @PropertyInject(value = "hookrail.flow.keyLease", defaultValue = "PT60S")
    private String keyLease;
    @PropertyInject(value = "hookrail.saga.compensationRetries", defaultValue = "5")
    private int compensationRetries;
    @PropertyInject(value = "hookrail.saga.compensationRetryDelayMillis", defaultValue = "5000")
    private long compensationRetryDelayMillis;

    @BindToRegistry(lazy = true)
    public FlowIdempotencyRepository flowIdempotency(@BeanInject DataSource dataSource) throws IOException {
        FlowIdempotencyRepository repository = new FlowIdempotencyRepository(dataSource, instanceId(),
                Duration.parse(keyLease), CLOCK);
        int orphaned = repository.orphanKeysOfPreviousRun();
        if (orphaned > 0) {
            LOG.warn("{} flow keys were held when this instance last stopped unexpectedly; their events run again",
                    orphaned);
        }
        return repository;
    }

    @BindToRegistry(lazy = true)
    public FlowEntry flowEntry(@BeanInject EventContracts contracts) {
        return new FlowEntry(contracts);
    }

    @BindToRegistry(lazy = true)
    public FlowSteps flowSteps(@BeanInject DataSource dataSource, @BeanInject FlowIdempotencyRepository keys,
                               @BeanInject(AuditTrail.BEAN) AuditTrail audit) {
        return new FlowSteps(dataSource, keys, CLOCK, audit);
    }

    @BindToRegistry(value = FlowOutcomes.BEAN, lazy = true)
    public FlowOutcomes flowOutcomes(@BeanInject(HookrailMetrics.BEAN) HookrailMetrics metrics,
                                     @BeanInject(EventTimeline.BEAN) EventTimeline timeline) {
        return new FlowOutcomes(metrics, timeline);
    }

    @BindToRegistry(lazy = true)
    public Processor flowRedelivery(@BeanInject(FlowOutcomes.BEAN) FlowOutcomes outcomes) {
        return outcomes::redelivering;
    }

    @BindToRegistry
    public DeadLetterWriter deadLetterWriter() {
        return new DeadLetterWriter(CLOCK);
    }

    @BindToRegistry
    public Processor flowFailureCounter() {
        return deadLetterWriter()::failureOccurred;
    }

    @BindToRegistry
    public InMemorySagaService sagaService() {
        InMemorySagaService service = new InMemorySagaService();
        service.setMaxRetryAttempts(compensationRetries);
        service.setRetryDelayInMilliseconds(compensationRetryDelayMillis);
        return service;
    }

    /**
     * This instance's stable name, kept in the data directory: an instance restarted on the same directory knows
     * the flow keys it held before it died.
     */
    private String instanceId() throws IOException {
        Path file = Path.of(dataDir).toAbsolutePath().resolve("instance-id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        Files.createDirectories(file.getParent());
        String id = "hookrail-" + UUID.randomUUID();
        Files.writeString(file, id);
        return id;
    }
}

package io.hookrail.flow;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;

import javax.sql.DataSource;

import io.hookrail.audit.AuditTrail;
import io.hookrail.broker.EventSeal;
import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ops.InstanceIdentity;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.privacy.PersonalData;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.Processor;
import org.apache.camel.PropertyInject;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the YAML flows and the downstream-call Kamelet refer to by name: {@code flowIdempotency},
 * {@code flowEntry}, {@code flowRun}, {@code journaledStep}, {@code stepRetryPolicy}, {@code stepFailures},
 * {@code flowCompensation}, {@code flowOutcomes}, {@code flowRedelivery} and one circuit
 * breaker per downstream system. The store-backed beans are lazy, so they are made when the routes start, after the
 * data source exists and before any flow consumes.
 */
@Configuration
public class FlowConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FlowConfiguration.class);
    private static final Clock CLOCK = Clock.systemUTC();

    @PropertyInject(value = "hookrail.flow.keyLease", defaultValue = "PT60S")
    private String keyLease;
    @PropertyInject(value = "hookrail.flow.retry.maximumRedeliveries", defaultValue = "4")
    private int maximumRedeliveries;
    @PropertyInject(value = "hookrail.flow.retry.initialDelayMillis", defaultValue = "1000")
    private long initialDelayMillis;
    @PropertyInject(value = "hookrail.flow.retry.maximumDelayMillis", defaultValue = "60000")
    private long maximumDelayMillis;
    @PropertyInject(value = "hookrail.flow.retry.backoffMultiplier", defaultValue = "2")
    private double backoffMultiplier;
    @PropertyInject(value = "hookrail.downstream.systems", defaultValue = "erp,payments,email,crm")
    private String downstreamSystems;
    @PropertyInject(value = "hookrail.circuitBreaker.failureRateThreshold", defaultValue = "50")
    private float breakerFailureRate;
    @PropertyInject(value = "hookrail.circuitBreaker.minimumNumberOfCalls", defaultValue = "20")
    private int breakerMinimumCalls;
    @PropertyInject(value = "hookrail.circuitBreaker.slidingWindowSize", defaultValue = "50")
    private int breakerWindow;
    @PropertyInject(value = "hookrail.circuitBreaker.waitDurationInOpenState", defaultValue = "PT10S")
    private String breakerOpenWait;
    @PropertyInject(value = "hookrail.circuitBreaker.permittedCallsInHalfOpenState", defaultValue = "2")
    private int breakerHalfOpenCalls;

    @PropertyInject(value = "hookrail.flow.journal.batch.maxSize", defaultValue = "128")
    private int journalBatchMaxSize;
    @PropertyInject(value = "hookrail.flow.journal.batch.lingerMicros", defaultValue = "0")
    private long journalBatchLingerMicros;

    @PropertyInject(value = "hookrail.flow.rollout.minimumSample", defaultValue = "20")
    private int rolloutMinimumSample;
    @PropertyInject(value = "hookrail.flow.rollout.failureMargin", defaultValue = "0.1")
    private double rolloutFailureMargin;

    @PropertyInject(value = "hookrail.flow.shadow.sandboxUrl", defaultValue = "http://127.0.0.1:8080/sandbox")
    private String shadowSandboxUrl;

    private DownstreamCircuitBreakers breakers;

    @BindToRegistry(lazy = true)
    public FlowIdempotencyRepository flowIdempotency(@BeanInject DataSource dataSource,
                                                     @BeanInject(InstanceIdentity.BEAN) InstanceIdentity identity) {
        // the owner of the keys: an instance restarted on the same host and port (or id) takes its keys back at once
        FlowIdempotencyRepository repository = new FlowIdempotencyRepository(dataSource, identity.id(),
                Duration.parse(keyLease), CLOCK);
        int orphaned = repository.orphanKeysOfPreviousRun();
        if (orphaned > 0) {
            LOG.warn("{} flow keys were held when this instance last stopped unexpectedly; their events run again",
                    orphaned);
        }
        return repository;
    }

    @BindToRegistry(lazy = true)
    public FlowEntry flowEntry(@BeanInject EventContracts contracts, @BeanInject(EventSeal.BEAN) EventSeal seal,
                               @BeanInject(PersonalData.BEAN) PersonalData personalData) {
        return new FlowEntry(contracts, seal, personalData);
    }

    @BindToRegistry(lazy = true)
    public StepJournal stepJournal(CamelContext context, @BeanInject DataSource dataSource,
                                   @BeanInject(AuditTrail.BEAN) AuditTrail audit,
                                   @BeanInject(PersonalData.BEAN) PersonalData personalData) throws Exception {
        StepJournal journal = new StepJournal(dataSource, audit, CLOCK, personalData, journalBatchMaxSize,
                journalBatchLingerMicros);
        // a service, so its intent writer starts and stops with Camel
        context.addService(journal);
        return journal;
    }

    /** Encodes values from downstream responses as URL path segments, e.g. in compensation URLs. */
    @BindToRegistry(UrlSegments.BEAN)
    public UrlSegments urlSegments() {
        return new UrlSegments();
    }

    @BindToRegistry(value = JournaledStep.BEAN, lazy = true)
    public JournaledStep journaledStep(@BeanInject StepJournal journal,
                                       @BeanInject(FlowShadows.BEAN) FlowShadows shadows) {
        return new JournaledStep(journal, shadows);
    }

    /** Shadow runs call the sandbox in place of each downstream system's base URL. */
    @BindToRegistry(value = FlowShadows.BEAN, lazy = true)
    public FlowShadows flowShadows(CamelContext context, @BeanInject DataSource dataSource,
                                   @BeanInject(FlowRollouts.BEAN) FlowRollouts rollouts,
                                   @BeanInject StepJournal journal) {
        return new FlowShadows(dataSource, rollouts, journal, CLOCK,
                system -> context.getPropertiesComponent().resolveProperty("hookrail.downstream." + system + ".url")
                        .orElse(null), shadowSandboxUrl);
    }

    @BindToRegistry(value = FlowRun.BEAN, lazy = true)
    public FlowRun flowRun(@BeanInject StepJournal journal, @BeanInject FlowIdempotencyRepository keys,
                           @BeanInject(FlowRollouts.BEAN) FlowRollouts rollouts) {
        return new FlowRun(journal, keys, rollouts);
    }

    /** The flows' rollouts, each as {@code hookrail.flow.<flow>.candidate.version} and {@code .share} configure it. */
    @BindToRegistry(value = FlowRollouts.BEAN, lazy = true)
    public FlowRollouts flowRollouts(CamelContext context, @BeanInject DataSource dataSource,
                                     @BeanInject(AuditTrail.BEAN) AuditTrail audit) throws Exception {
        FlowRollouts rollouts = new FlowRollouts(dataSource, audit, CLOCK, flow -> configuredRollout(context, flow),
                rolloutMinimumSample, rolloutFailureMargin);
        context.addService(new ManagedFlowRollouts(rollouts, context));
        return rollouts;
    }

    static FlowRollout configuredRollout(CamelContext context, String flow) {
        String prefix = "hookrail.flow." + flow + ".candidate.";
        String stable = FlowNames.stableVersion(context, flow);
        String candidate = context.getPropertiesComponent().resolveProperty(prefix + "version").orElse("").trim();
        String share = context.getPropertiesComponent().resolveProperty(prefix + "share").orElse("0").trim();
        String mode = context.getPropertiesComponent().resolveProperty(prefix + "mode").orElse("canary").trim();
        if (!mode.equals("canary") && !mode.equals("shadow")) {
            throw new IllegalArgumentException(prefix + "mode is canary or shadow, not " + mode);
        }
        if (mode.equals("shadow") && !context.getPropertiesComponent().resolveProperty("hookrail.sandbox.enabled")
                .map(Boolean::parseBoolean).orElse(false)) {
            throw new IllegalArgumentException(prefix + "mode shadow runs the candidate against the sandbox, which is"
                    + " off (hookrail.sandbox.enabled=false)");
        }
        if (candidate.equals(stable)) {
            throw new IllegalArgumentException(prefix + "version is " + candidate + ", the stable version of flow "
                    + flow + " itself; a candidate is another version, with its steps at direct:" + flow + "-v<version>");
        }
        int percent;
        try {
            percent = Integer.parseInt(share);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + "share must be a whole percentage from 0 to 100, not " + share);
        }
        boolean shadow = mode.equals("shadow");
        return new FlowRollout(flow, stable, candidate, percent, shadow ? FlowRollout.Mode.SHADOW : FlowRollout.Mode.CANARY,
                candidate.isEmpty() ? FlowRollout.State.STABLE : shadow ? FlowRollout.State.SHADOW : FlowRollout.State.CANARY,
                null, java.time.Instant.EPOCH);
    }

    @BindToRegistry(StepRetryPolicy.BEAN)
    public StepRetryPolicy stepRetryPolicy() {
        return new StepRetryPolicy(maximumRedeliveries + 1, initialDelayMillis, maximumDelayMillis, backoffMultiplier,
                maximumRedeliveries, circuitBreakers().openWait());
    }

    @BindToRegistry(value = StepFailures.BEAN, lazy = true)
    public StepFailures stepFailures(@BeanInject StepJournal journal, @BeanInject(StepRetryPolicy.BEAN) StepRetryPolicy policy,
                                     @BeanInject DeadLetterWriter deadLetters,
                                     @BeanInject(EventTimeline.BEAN) EventTimeline timeline) {
        return new StepFailures(journal, policy, deadLetters, timeline, CLOCK);
    }

    @BindToRegistry(value = FlowCompensation.BEAN, lazy = true)
    public FlowCompensation flowCompensation(CamelContext context, @BeanInject StepJournal journal,
                                             @BeanInject(JournaledStep.BEAN) JournaledStep steps,
                                             @BeanInject(StepRetryPolicy.BEAN) StepRetryPolicy policy,
                                             @BeanInject(FlowOutcomes.BEAN) FlowOutcomes outcomes) {
        return new FlowCompensation(context, journal, steps, policy, outcomes);
    }

    /** One breaker per downstream system; the Kamelet's circuitBreaker EIP looks them up by name. */
    @BindToRegistry
    public DownstreamCircuitBreakers circuitBreakers() {
        if (breakers == null) {
            breakers = new DownstreamCircuitBreakers(Arrays.stream(downstreamSystems.split(",")).map(String::trim)
                    .filter(system -> !system.isEmpty()).toList(), breakerFailureRate, breakerMinimumCalls,
                    breakerWindow, Duration.parse(breakerOpenWait), breakerHalfOpenCalls);
        }
        return breakers;
    }

    @Override
    public void configure(CamelContext context) {
        circuitBreakers().bySystem().forEach((system, breaker) ->
                context.getRegistry().bind(DownstreamCircuitBreakers.beanName(system), breaker));
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
}

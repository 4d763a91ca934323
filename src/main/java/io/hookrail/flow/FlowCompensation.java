package io.hookrail.flow;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.dlq.DeadLetterKind;
import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.dlq.DeadLetters;
import io.hookrail.flow.StepJournal.AttemptState;
import io.hookrail.flow.StepJournal.Run;
import io.hookrail.flow.StepJournal.Step;
import io.hookrail.flow.StepJournal.StepState;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a failed run's effects before it is dead-lettered, driven by the step journal instead of an in-memory saga
 * coordinator (ADR 6): "compensating attempt N" is journaled first; then every step of the attempt that declares a
 * compensation and may have taken effect is undone, newest first, each journaled as COMPENSATED once its
 * compensation route succeeded. A step whose outcome is unknown is first resolved by repeating its journaled request
 * with its key (the downstream performs it now or answers from its idempotency memory), so what it did is undone.
 * <p>
 * A restart or a redelivery finds the attempt COMPENSATING and finishes what is left; the journal makes each
 * compensation happen once. A compensation that gives up leaves the attempt COMPENSATING and the letter marked as a
 * failed compensation; its replay finishes the compensation and runs nothing else.
 */
public final class FlowCompensation {

    /** The registry name of the bean. */
    public static final String BEAN = "flowCompensation";
    /** Exchange property: true when the run ends compensated, without a dead letter (a replayed compensation). */
    public static final String FINISHED = "hookrailCompensationFinished";
    static final String RESOLVE_URI = "direct:resolve-step";

    private static final Logger LOG = LoggerFactory.getLogger(FlowCompensation.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StepJournal journal;
    private final JournaledStep steps;
    private final StepRetryPolicy policy;
    private final FlowOutcomes outcomes;
    private final CamelContext camelContext;
    private final ProducerTemplate template;

    public FlowCompensation(CamelContext camelContext, StepJournal journal, JournaledStep steps, StepRetryPolicy policy,
                            FlowOutcomes outcomes) {
        this.camelContext = camelContext;
        this.template = camelContext.createProducerTemplate();
        this.journal = journal;
        this.steps = steps;
        this.policy = policy;
        this.outcomes = outcomes;
    }

    /** Compensates the failed run's attempt, if it has anything to undo, and describes what stands. */
    public void compensate(Exchange exchange) throws SQLException, IOException {
        Integer attempt = exchange.getProperty(FlowContext.ATTEMPT, Integer.class);
        if (attempt == null || exchange.getProperty(FlowContext.BUSINESS_ID) == null) {
            return; // failed before its run began: nothing was called
        }
        Run run = JournaledStep.run(exchange);
        List<Step> journaled = journal.steps(run);
        List<Step> toUndo = journaled.stream()
                .filter(step -> step.undoes() == null && step.compensation() != null && step.state().mayHaveTakenEffect())
                .sorted((a, b) -> Integer.compare(b.seq(), a.seq()))
                .toList();
        boolean compensating = journal.latestAttempt(run.flow(), run.businessId())
                .filter(latest -> latest.number() == run.attempt() && latest.state() == AttemptState.COMPENSATING)
                .isPresent();
        if (toUndo.isEmpty() && !compensating) {
            describe(exchange, journaled);
            return;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        journal.attemptState(run, AttemptState.COMPENSATING, failure == null ? null : failure.getMessage());
        LOG.warn("Compensating attempt {} of {} {}: {}", run.attempt(), run.flow(), run.businessId(),
                toUndo.stream().map(Step::step).toList());
        for (Step step : toUndo) {
            try {
                undo(exchange, run, step);
            } catch (Exception e) {
                LOG.error("Compensation of {} for {} {} gave up: {}", step.step(), run.flow(), run.businessId(),
                        e.getMessage());
                exchange.setProperty(DeadLetterWriter.COMPENSATION_FAILED, true);
                exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new CompensationFailedException(step.step(), e));
                describe(exchange, journal.steps(run));
                return;
            }
        }
        journal.attemptState(run, AttemptState.COMPENSATED, null);
        outcomes.compensated(exchange);
        describe(exchange, journal.steps(run));
        if (DeadLetterKind.FAILED_COMPENSATION.value()
                .equals(exchange.getMessage().getHeader(DeadLetters.REPLAYED_KIND, String.class))) {
            exchange.setProperty(FINISHED, true);
        }
    }

    private void undo(Exchange exchange, Run run, Step step) throws Exception {
        Step done = step;
        if (step.state() != StepState.DONE) {
            Optional<Step> resolved = resolve(exchange, run, step);
            if (resolved.isEmpty()) {
                journal.compensated(run, step.step()); // the downstream refused the request: it never took effect
                return;
            }
            done = resolved.get();
        }
        Exchange compensation = context(exchange);
        compensation.setProperty(JournaledStep.UNDOES, step.step());
        compensation.setVariable(JournaledStep.DONE_VARIABLE, MAPPER.readTree(done.response()));
        template.send(step.compensation(), compensation);
        if (compensation.getException() != null) {
            throw compensation.getException();
        }
        journal.compensated(run, step.step());
    }

    /** Repeats the step's journaled request with its key; empty when the downstream refuses it for good. */
    private Optional<Step> resolve(Exchange exchange, Run run, Step step) throws Exception {
        LOG.info("Resolving step {} of {} {} (outcome {}) by repeating it with Idempotency-Key {}", step.step(),
                run.flow(), run.businessId(), step.state(), step.idempotencyKey());
        Exchange call = context(exchange);
        steps.beforeResolution(call, step);
        template.send(RESOLVE_URI, call);
        Exception failure = call.getException();
        if (failure != null) {
            if (policy.isFinal(call, failure)) {
                return Optional.empty();
            }
            throw failure;
        }
        return journal.step(run, step.step()).filter(resolved -> resolved.state() == StepState.DONE);
    }

    /** A new exchange carrying the run's context, for a compensation or a resolution. */
    private Exchange context(Exchange exchange) {
        ExchangeBuilder builder = ExchangeBuilder.anExchange(camelContext);
        for (String property : List.of(FlowContext.FLOW, FlowContext.FLOW_VERSION, FlowContext.EVENT_ID,
                FlowContext.BUSINESS_ID, FlowContext.RUN, FlowContext.ATTEMPT, FlowContext.CORRELATION_ID)) {
            builder.withProperty(property, exchange.getProperty(property));
        }
        Exchange copy = builder.build();
        copy.setVariable(FlowContext.EVENT_VARIABLE, exchange.getVariable(FlowContext.EVENT_VARIABLE, JsonNode.class));
        return copy;
    }

    private static void describe(Exchange exchange, List<Step> journaled) {
        List<String> standing = new ArrayList<>();
        journaled.stream().filter(step -> step.undoes() == null && step.state() == StepState.DONE)
                .map(Step::step).forEach(standing::add);
        exchange.setProperty(DeadLetters.STEPS_DONE, String.join(",", standing));
    }
}

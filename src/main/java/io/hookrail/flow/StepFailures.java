package io.hookrail.flow;

import java.net.ConnectException;
import java.time.Clock;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.flow.StepJournal.StepState;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code onExceptionOccurred} of the flows' error handlers: counts the failure for the dead letter, journals a
 * failed call's outcome (FAILED when the downstream answered without an effect, UNKNOWN when it may have taken one),
 * and sets the delay before the next try ({@link StepRetryPolicy}) as Camel's {@code CamelRedeliveryDelay} header.
 */
public final class StepFailures implements Processor {

    /** The registry name of the bean. */
    public static final String BEAN = "stepFailures";
    private static final Logger LOG = LoggerFactory.getLogger(StepFailures.class);

    private final StepJournal journal;
    private final StepRetryPolicy policy;
    private final DeadLetterWriter deadLetters;
    private final EventTimeline timeline;
    private final Clock clock;

    public StepFailures(StepJournal journal, StepRetryPolicy policy, DeadLetterWriter deadLetters,
                        EventTimeline timeline, Clock clock) {
        this.journal = journal;
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.timeline = timeline;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        deadLetters.failureOccurred(exchange);
        String step = exchange.getProperty(JournaledStep.STEP, String.class);
        if (step == null) {
            return;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int tries = exchange.getProperty(JournaledStep.TRIES, 0, Integer.class) + 1;
        exchange.setProperty(JournaledStep.TRIES, tries);
        if (exchange.getProperty(JournaledStep.IN_FLIGHT, false, Boolean.class) && !FlowShadows.isShadow(exchange)) {
            exchange.setProperty(JournaledStep.IN_FLIGHT, false);
            StepState outcome = outcomeOf(failure);
            journal.failed(JournaledStep.run(exchange), step, outcome, String.valueOf(failure));
            if (outcome == StepState.UNKNOWN) {
                LOG.warn("Step {} outcome unknown ({}): it is tried again with its key, or compensated", step,
                        failure.getMessage());
            }
        }
        if (StepRetryPolicy.cause(failure, CallNotPermittedException.class).isPresent()) {
            timeline.record(exchange, "circuit", step, "open", null,
                    "the circuit breaker of " + exchange.getProperty("system", String.class) + " refused the call");
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, policy.delayMillis(exchange, tries, failure, clock.instant()));
    }

    /**
     * What a failed call did downstream. An answer is FAILED (a 502 or 504 came from a gateway and may hide an
     * effect); a call that never connected, or that an open breaker refused, is FAILED; a timeout or a lost
     * connection after the request went out is UNKNOWN, and so is anything that failed after the call returned.
     */
    static StepState outcomeOf(Throwable failure) {
        var answer = StepRetryPolicy.cause(failure, HttpOperationFailedException.class);
        if (answer.isPresent()) {
            int status = answer.get().getStatusCode();
            return status == 502 || status == 504 ? StepState.UNKNOWN : StepState.FAILED;
        }
        if (StepRetryPolicy.cause(failure, CallNotPermittedException.class).isPresent()
                || StepRetryPolicy.cause(failure, ConnectException.class).isPresent()
                || StepRetryPolicy.cause(failure, ConnectTimeoutException.class).isPresent()) {
            return StepState.FAILED;
        }
        return StepState.UNKNOWN;
    }
}

package io.hookrail.flow;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.hookrail.flow.StepJournal.StepState;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a failed step is tried again, after how long, and what its failure says about the downstream effect. */
class StepRetryPolicyTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    final CamelContext context = new DefaultCamelContext();
    final StepRetryPolicy policy = new StepRetryPolicy(5, 1000, 60_000, 2, 4, Duration.ofSeconds(10));

    Exchange step(Throwable failure, int tries) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(JournaledStep.STEP, "payment.capture");
        exchange.setProperty(JournaledStep.TRIES, tries);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        return exchange;
    }

    static HttpOperationFailedException answer(int status, Map<String, String> headers) {
        return new HttpOperationFailedException("http://erp/invoices", status, "status " + status, null, headers, "");
    }

    @Test
    void aFailedStepIsTriedUntilItsMaximumAttempts() {
        assertTrue(policy.matches(step(answer(503, Map.of()), 4)));
        assertFalse(policy.matches(step(answer(503, Map.of()), 5)));
    }

    @Test
    void aStepOverridesTheMaximumAttemptsInItsYaml() {
        Exchange exchange = step(answer(503, Map.of()), 5);
        exchange.setProperty(StepRetryPolicy.MAXIMUM_ATTEMPTS, "8");
        assertTrue(policy.matches(exchange));
        exchange.setProperty(JournaledStep.TRIES, 8);
        assertFalse(policy.matches(exchange));
    }

    @ParameterizedTest(name = "{0} final: {1}")
    @CsvSource({"400, true", "404, true", "408, false", "409, true", "422, true", "429, false", "500, false",
            "503, false"})
    void everyClientErrorButTimeoutAndThrottleIsFinalByDefault(int status, boolean isFinal) {
        Exchange exchange = step(new RuntimeCamelException(answer(status, Map.of())), 1);
        assertEquals(isFinal, policy.isFinal(exchange, exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
        assertEquals(!isFinal, policy.matches(exchange));
    }

    @Test
    void aStepDeclaresItsOwnFinalStatuses() {
        Exchange exchange = step(answer(503, Map.of()), 1);
        exchange.setProperty(StepRetryPolicy.FINAL_STATUSES, "500-503, 409");
        assertFalse(policy.matches(exchange));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, answer(404, Map.of()));
        assertTrue(policy.matches(exchange), "404 is not final for this step");
    }

    @Test
    void aBadFinalStatusListIsRefused() {
        Exchange exchange = step(answer(503, Map.of()), 1);
        exchange.setProperty(StepRetryPolicy.FINAL_STATUSES, "499-400");
        assertThrows(IllegalArgumentException.class, () -> policy.matches(exchange));
    }

    @Test
    void whatCanNeverSucceedIsNotRetried() {
        assertFalse(policy.matches(step(new PoisonEventException("not JSON"), 1)));
        assertFalse(policy.matches(step(new RunAlreadyFailedException("refund", "RF-1", 1, "503"), 1)));
    }

    @Test
    void aFailureOutsideAStepIsRedeliveredTheFlowsNumberOfTimes() {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new IllegalStateException("store down"));
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 4);
        assertTrue(policy.matches(exchange));
        exchange.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 5);
        assertFalse(policy.matches(exchange));
    }

    @Test
    void theDelayGrowsExponentiallyWithJitterUpToTheMaximum() {
        for (int tries = 1; tries <= 4; tries++) {
            long scheduled = (long) (1000 * Math.pow(2, tries - 1));
            long delay = policy.delayMillis(step(answer(503, Map.of()), tries), tries, answer(503, Map.of()), NOW);
            assertTrue(delay >= scheduled * 0.85 && delay <= scheduled * 1.15, tries + ": " + delay);
        }
        assertEquals(60_000, policy.delayMillis(step(answer(503, Map.of()), 20), 20, answer(503, Map.of()), NOW));
    }

    @Test
    void aRetryAfterIsWaitedAtLeastAndCappedByTheMaximum() {
        HttpOperationFailedException throttled = answer(429, Map.of("retry-after", "2"));
        assertTrue(policy.delayMillis(step(throttled, 1), 1, throttled, NOW) >= 2000);
        HttpOperationFailedException later = answer(503, Map.of("Retry-After", "Tue, 01 Dec 2026 10:00:30 GMT"));
        assertEquals(30_000, policy.delayMillis(step(later, 1), 1, later, NOW));
        HttpOperationFailedException tooLong = answer(503, Map.of("Retry-After", "3600"));
        assertEquals(60_000, policy.delayMillis(step(tooLong, 1), 1, tooLong, NOW));
        Exchange capped = step(tooLong, 1);
        capped.setProperty(StepRetryPolicy.MAXIMUM_DELAY, "5000");
        assertEquals(5_000, policy.delayMillis(capped, 1, tooLong, NOW));
        HttpOperationFailedException garbage = answer(503, Map.of("Retry-After", "soon"));
        assertTrue(policy.delayMillis(step(garbage, 1), 1, garbage, NOW) < 2000);
    }

    @Test
    void anOpenBreakerIsWaitedOut() {
        CallNotPermittedException refused = CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("erp"));
        assertEquals(10_000, policy.delayMillis(step(refused, 1), 1, refused, NOW));
    }

    @Test
    void aFailureSaysWhetherTheDownstreamMayHaveTakenEffect() {
        assertEquals(StepState.FAILED, StepFailures.outcomeOf(answer(503, Map.of())));
        assertEquals(StepState.FAILED, StepFailures.outcomeOf(new RuntimeCamelException(answer(422, Map.of()))));
        assertEquals(StepState.UNKNOWN, StepFailures.outcomeOf(answer(504, Map.of())));
        assertEquals(StepState.UNKNOWN, StepFailures.outcomeOf(answer(502, Map.of())));
        assertEquals(StepState.UNKNOWN, StepFailures.outcomeOf(new SocketTimeoutException("Read timed out")));
        assertEquals(StepState.UNKNOWN, StepFailures.outcomeOf(new java.net.SocketException("Connection reset")));
        assertEquals(StepState.FAILED, StepFailures.outcomeOf(new java.net.ConnectException("Connection refused")));
        assertEquals(StepState.FAILED, StepFailures.outcomeOf(new ConnectTimeoutException("connect timed out")));
        assertEquals(StepState.FAILED, StepFailures.outcomeOf(CallNotPermittedException
                .createCallNotPermittedException(CircuitBreaker.ofDefaults("payments"))));
    }
}

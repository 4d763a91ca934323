package io.hookrail.flow;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Resilience4j circuit breaker per downstream system, shared by every step that calls it (the Kamelet's
 * {@code circuitBreaker} EIP refers to it by the name {@link #beanName}): an outage opens it, so retries wait instead
 * of calling, and a few trial calls after {@code waitDurationInOpenState} close it again by themselves.
 */
public final class DownstreamCircuitBreakers {

    private static final Logger LOG = LoggerFactory.getLogger(DownstreamCircuitBreakers.class);

    private final Map<String, CircuitBreaker> bySystem = new LinkedHashMap<>();
    private final Duration openWait;

    public DownstreamCircuitBreakers(List<String> systems, float failureRateThreshold, int minimumNumberOfCalls,
                                     int slidingWindowSize, Duration openWait, int permittedCallsInHalfOpenState) {
        this.openWait = openWait;
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRateThreshold)
                .minimumNumberOfCalls(minimumNumberOfCalls)
                .slidingWindowSize(slidingWindowSize)
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(permittedCallsInHalfOpenState)
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        for (String system : systems) {
            CircuitBreaker breaker = registry.circuitBreaker(system);
            breaker.getEventPublisher().onStateTransition(event -> LOG.warn("Circuit breaker of {}: {}", system,
                    event.getStateTransition()));
            bySystem.put(system, breaker);
        }
    }

    /** The registry name of a system's breaker, e.g. {@code circuitBreaker-payments}. */
    public static String beanName(String system) {
        return "circuitBreaker-" + system;
    }

    public Map<String, CircuitBreaker> bySystem() {
        return bySystem;
    }

    /** How long an open breaker refuses calls before it tries again. */
    public Duration openWait() {
        return openWait;
    }

    /** The state as a gauge value: 0 closed, 1 open, 2 half-open, 3 otherwise (disabled, forced open, ...). */
    public static int gaugeValue(CircuitBreaker breaker) {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }
}

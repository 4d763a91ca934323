package io.hookrail.flow;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.hookrail.approval.DecisionNotVisibleException;
import org.apache.camel.Exchange;
import org.apache.camel.Predicate;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * When a failed flow step is tried again in place, and after how long: the {@code retryWhile} of the flows' error
 * handlers. A step may override every default in its YAML (Kamelet parameters {@code maximumAttempts},
 * {@code initialDelayMillis}, {@code maximumDelayMillis}, {@code backoffMultiplier}, {@code finalStatuses}); a
 * failure outside a step is redelivered {@code hookrail.flow.retry.maximumRedeliveries} times.
 * <p>
 * The delay is exponential with jitter; a {@code Retry-After} of a 429 or 503, or an open circuit breaker, makes it
 * at least that long; the maximum caps both.
 */
public final class StepRetryPolicy implements Predicate {

    /** The registry name of the bean. */
    public static final String BEAN = "stepRetryPolicy";
    static final String MAXIMUM_ATTEMPTS = "stepMaximumAttempts";
    static final String INITIAL_DELAY = "stepInitialDelayMillis";
    static final String MAXIMUM_DELAY = "stepMaximumDelayMillis";
    static final String BACKOFF = "stepBackoffMultiplier";
    static final String FINAL_STATUSES = "stepFinalStatuses";

    /** The answers that can never succeed: every 4xx but 408 (timeout) and 429 (throttled). */
    public static final String DEFAULT_FINAL_STATUSES = "400-407,409-428,430-499";
    private static final double JITTER = 0.15;
    private static final List<Class<? extends Throwable>> NEVER_RETRIED = List.of(PoisonEventException.class,
            FlowKeyBusyException.class, DecisionNotVisibleException.class, RunAlreadyFailedException.class);

    private final int maximumAttempts;
    private final long initialDelayMillis;
    private final long maximumDelayMillis;
    private final double backoffMultiplier;
    private final int flowMaximumRedeliveries;
    private final Duration breakerOpenWait;
    private final Map<String, List<int[]>> statusRanges = new ConcurrentHashMap<>();

    public StepRetryPolicy(int maximumAttempts, long initialDelayMillis, long maximumDelayMillis,
                           double backoffMultiplier, int flowMaximumRedeliveries, Duration breakerOpenWait) {
        this.maximumAttempts = maximumAttempts;
        this.initialDelayMillis = initialDelayMillis;
        this.maximumDelayMillis = maximumDelayMillis;
        this.backoffMultiplier = backoffMultiplier;
        this.flowMaximumRedeliveries = flowMaximumRedeliveries;
        this.breakerOpenWait = breakerOpenWait;
        statusRanges(DEFAULT_FINAL_STATUSES);
    }

    /** Whether the failed exchange is tried again; its failed tries are counted before this is asked. */
    @Override
    public boolean matches(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (NEVER_RETRIED.stream().anyMatch(type -> cause(failure, type).isPresent())) {
            return false;
        }
        if (exchange.getProperty(JournaledStep.STEP) == null) {
            return exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) <= flowMaximumRedeliveries;
        }
        if (isFinal(exchange, failure)) {
            return false;
        }
        return exchange.getProperty(JournaledStep.TRIES, 0, Integer.class) < number(exchange, MAXIMUM_ATTEMPTS, maximumAttempts);
    }

    /** Whether the failure is an answer the step declares final (by default every 4xx but 408 and 429). */
    public boolean isFinal(Exchange exchange, Throwable failure) {
        Optional<HttpOperationFailedException> answer = cause(failure, HttpOperationFailedException.class);
        if (answer.isEmpty()) {
            return false;
        }
        String configured = exchange.getProperty(FINAL_STATUSES, String.class);
        int status = answer.get().getStatusCode();
        return statusRanges(configured == null || configured.isBlank() ? DEFAULT_FINAL_STATUSES : configured).stream()
                .anyMatch(range -> status >= range[0] && status <= range[1]);
    }

    /** How long to wait before try {@code tries + 1} of the step. */
    public long delayMillis(Exchange exchange, int tries, Throwable failure, Instant now) {
        long initial = number(exchange, INITIAL_DELAY, initialDelayMillis);
        long maximum = number(exchange, MAXIMUM_DELAY, maximumDelayMillis);
        String multiplier = exchange.getProperty(BACKOFF, String.class);
        double backoff = multiplier == null || multiplier.isBlank() ? backoffMultiplier : Double.parseDouble(multiplier);
        double scheduled = initial * Math.pow(backoff, Math.max(0, tries - 1));
        scheduled *= 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
        long floor = cause(failure, CallNotPermittedException.class).isPresent() ? breakerOpenWait.toMillis()
                : retryAfterMillis(failure, now);
        return Math.min(maximum, Math.max((long) scheduled, floor));
    }

    /** The {@code Retry-After} of a failed answer in milliseconds (seconds or an HTTP date), 0 without one. */
    static long retryAfterMillis(Throwable failure, Instant now) {
        Optional<HttpOperationFailedException> answer = cause(failure, HttpOperationFailedException.class);
        if (answer.isEmpty() || answer.get().getResponseHeaders() == null) {
            return 0;
        }
        String value = answer.get().getResponseHeaders().entrySet().stream()
                .filter(header -> "Retry-After".equalsIgnoreCase(header.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()) * 1000);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Math.max(0, Duration.between(now, at).toMillis());
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }

    /** The first throwable of the type in the failure's cause chain. */
    static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static long number(Exchange exchange, String property, long fallback) {
        String value = exchange.getProperty(property, String.class);
        return value == null || value.isBlank() ? fallback : Long.parseLong(value.trim());
    }

    private static int number(Exchange exchange, String property, int fallback) {
        return (int) number(exchange, property, (long) fallback);
    }

    /** Parses {@code 400-407,409,430-499}; a bad list is a startup-time error of the route that declares it. */
    private List<int[]> statusRanges(String list) {
        return statusRanges.computeIfAbsent(list, text -> {
            List<int[]> ranges = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] bounds = part.trim().split("-");
                int low = Integer.parseInt(bounds[0].trim());
                int high = bounds.length > 1 ? Integer.parseInt(bounds[1].trim()) : low;
                if (low < 100 || high > 599 || low > high) {
                    throw new IllegalArgumentException("finalStatuses: bad range '" + part + "' in '" + text + "'");
                }
                ranges.add(new int[] {low, high});
            }
            return List.copyOf(ranges);
        });
    }
}

package io.hookrail.ingest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook rate limit of every source: a {@link RateLimiter} token bucket per source, sized by
 * {@code hookrail.ingest.rateLimit.perSecond} and {@code .burst} (defaults 5000 and 10000), which a source overrides with
 * {@code hookrail.source.<name>.rateLimit.perSecond} and {@code .burst}.
 * <p>
 * The buckets are in memory, per instance: N instances behind a load balancer accept up to N times the limit.
 * A delivery over the limit is refused with 429 and {@code Retry-After} right after its signature is verified, before
 * it is parsed: only verified deliveries take a token, so an unsigned flood cannot starve a real sender. The flood is
 * bounded before the HMAC by the per-client-address limit ({@link ClientRateLimits}).
 */
public final class SourceRateLimits {

    static final String DEFAULT_PER_SECOND = "5000";
    static final String DEFAULT_BURST = "10000";

    private static final Logger LOG = LoggerFactory.getLogger(SourceRateLimits.class);
    /** At most one warning per source in this time while it is being refused, with the count of refusals. */
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Map<String, Limit> bySource;
    private final LongSupplier nanoClock;

    private SourceRateLimits(Map<String, Limit> bySource, LongSupplier nanoClock) {
        this.bySource = bySource;
        this.nanoClock = nanoClock;
    }

    /**
     * Reads the limits of the named sources from configuration.
     *
     * @param property resolves a property key to its value, or null when it is not set
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public static SourceRateLimits fromProperties(Function<String, String> property, Collection<String> sources,
                                                  LongSupplier nanoClock) {
        double defaultPerSecond = number(property, "hookrail.ingest.rateLimit.perSecond", DEFAULT_PER_SECOND);
        double defaultBurst = number(property, "hookrail.ingest.rateLimit.burst", DEFAULT_BURST);
        Map<String, Limit> bySource = new LinkedHashMap<>();
        for (String source : sources) {
            String prefix = "hookrail.source." + source + ".rateLimit.";
            double perSecond = number(property, prefix + "perSecond", String.valueOf(defaultPerSecond));
            double burst = number(property, prefix + "burst", String.valueOf(defaultBurst));
            if (burst != Math.rint(burst)) {
                throw new IllegalArgumentException("rate limit of webhook source '" + source
                        + "': the burst must be a whole number, was " + burst);
            }
            try {
                bySource.put(source, new Limit(new RateLimiter(perSecond, (int) Math.min(burst, Integer.MAX_VALUE),
                        nanoClock)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("rate limit of webhook source '" + source + "': " + e.getMessage(), e);
            }
        }
        return new SourceRateLimits(bySource, nanoClock);
    }

    /**
     * Takes a token of the source's bucket.
     *
     * @return 0 when the delivery may go on, else the whole seconds (at least 1) after which a retry can succeed
     */
    public long tryAcquire(String source) {
        Limit limit = bySource.get(source);
        return limit == null ? 0 : limit.bucket.tryAcquire();
    }

    /** The source's bucket, for tests and diagnostics. */
    RateLimiter limiter(String source) {
        Limit limit = bySource.get(source);
        return limit == null ? null : limit.bucket;
    }

    /**
     * A step of route {@code webhook-ingest}, after the signature is verified: a delivery over its source's limit is
     * answered 429 problem+json with {@code Retry-After}, and the route stops there. It is answered here rather than
     * thrown, so that a flood is neither logged line by line nor counted as failed exchanges: one warning per source
     * every 10 seconds says how many were refused.
     *
     * @return whether the delivery may go on; false when it was answered 429
     */
    public boolean admits(Exchange exchange) {
        WebhookSource source = exchange.getProperty(WebhookIntake.SOURCE, WebhookSource.class);
        long retryAfter = source == null ? 0 : tryAcquire(source.name());
        if (retryAfter == 0) {
            return true;
        }
        warnThrottled(source.name(), bySource.get(source.name()));
        WebhookResponses.problem(exchange, WebhookRejection.rateLimited(source.name(), retryAfter));
        exchange.setRouteStop(true);
        return false;
    }

    private void warnThrottled(String source, Limit limit) {
        long refused = limit.refused.incrementAndGet();
        long now = nanoClock.getAsLong();
        long last = limit.warnedAt.get();
        if ((last == Long.MIN_VALUE || now - last >= WARN_INTERVAL_NANOS) && limit.warnedAt.compareAndSet(last, now)) {
            limit.refused.addAndGet(-refused);
            LOG.warn("Webhook source '{}' is over its rate limit of {}/s (burst {}) on this instance: refused {} "
                    + "deliver{} with 429", source, format(limit.bucket.perSecond()), limit.bucket.burst(), refused,
                    refused == 1 ? "y" : "ies");
        }
    }

    private static String format(double perSecond) {
        return perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
    }

    /** The number a key is set to, or the fallback when it is not set. */
    private static double number(Function<String, String> property, String key, String fallback) {
        String value = property.apply(key);
        value = value == null || value.isBlank() ? fallback : value.trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'", e);
        }
    }

    /** A source's bucket and the bookkeeping of its throttled warning. */
    private static final class Limit {
        final RateLimiter bucket;
        final AtomicLong refused = new AtomicLong();
        final AtomicLong warnedAt = new AtomicLong(Long.MIN_VALUE);

        Limit(RateLimiter bucket) {
            this.bucket = bucket;
        }
    }
}

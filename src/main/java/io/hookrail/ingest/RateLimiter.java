package io.hookrail.ingest;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled continuously at {@code perSecond} tokens a second; each
 * delivery takes one. In memory, so every Hookrail instance has its own bucket.
 */
public final class RateLimiter {

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double perSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    /**
     * @param perSecond tokens added a second, more than 0 (fractions allowed: 0.5 is one every two seconds)
     * @param burst     the bucket's size, at least 1; it starts full
     * @param nanoClock a monotonic clock in nanoseconds, {@code System::nanoTime} outside tests
     */
    public RateLimiter(double perSecond, int burst, LongSupplier nanoClock) {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("the rate must be a positive number of deliveries a second, was " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the burst must be at least 1, was " + burst);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /**
     * Takes a token if there is one.
     *
     * @return 0 when a token was taken; else the whole seconds until one is available, at least 1 (for
     *         {@code Retry-After})
     */
    public synchronized long tryAcquire() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed / NANOS_PER_SECOND * perSecond);
            refilledAt = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }

    public double perSecond() {
        return perSecond;
    }

    public int burst() {
        return burst;
    }
}

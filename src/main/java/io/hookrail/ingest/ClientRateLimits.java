package io.hookrail.ingest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limit of every client address, checked first of all, before the signature: a {@link RateLimiter} per
 * IP address of the TCP connection, sized by {@code hookrail.ingest.clientRateLimit.perSecond} and {@code .burst}
 * (defaults {@value #DEFAULT_PER_SECOND} and {@value #DEFAULT_BURST}). It bounds what one address can make Hookrail
 * spend on HMACs; the per-source bucket ({@link SourceRateLimits}) is charged only once a delivery is verified, so an
 * unsigned flood cannot use up a real sender's allowance.
 * <p>
 * The address is the connection's, no forwarded header is trusted: behind a reverse proxy every client shares the
 * proxy's address, so raise the limit there. At most {@code hookrail.ingest.clientRateLimit.maxAddresses} (default
 * {@value #DEFAULT_MAX_ADDRESSES}) buckets are kept; the least recently seen is forgotten first (it comes back full).
 */
public final class ClientRateLimits {

    static final String DEFAULT_PER_SECOND = "5000";
    static final String DEFAULT_BURST = "10000";
    static final String DEFAULT_MAX_ADDRESSES = "10000";

    private static final Logger LOG = LoggerFactory.getLogger(ClientRateLimits.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final double perSecond;
    private final int burst;
    private final int maxAddresses;
    private final LongSupplier nanoClock;
    private final Map<String, RateLimiter> byAddress;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong warnedAt = new AtomicLong(Long.MIN_VALUE);

    ClientRateLimits(double perSecond, int burst, int maxAddresses, LongSupplier nanoClock) {
        new RateLimiter(perSecond, burst, nanoClock); // validates the figures with its messages
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("hookrail.ingest.clientRateLimit.maxAddresses must be at least 1, was "
                    + maxAddresses);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxAddresses = maxAddresses;
        this.nanoClock = nanoClock;
        this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
                return size() > ClientRateLimits.this.maxAddresses;
            }
        };
    }

    /** Reads the limit from configuration; a bad figure stops startup naming the key. */
    public static ClientRateLimits fromProperties(Function<String, String> property, LongSupplier nanoClock) {
        double perSecond = number(property, "hookrail.ingest.clientRateLimit.perSecond", DEFAULT_PER_SECOND);
        double burst = number(property, "hookrail.ingest.clientRateLimit.burst", DEFAULT_BURST);
        double max = number(property, "hookrail.ingest.clientRateLimit.maxAddresses", DEFAULT_MAX_ADDRESSES);
        if (burst != Math.rint(burst) || max != Math.rint(max)) {
            throw new IllegalArgumentException("hookrail.ingest.clientRateLimit.burst and .maxAddresses must be whole "
                    + "numbers, were " + burst + " and " + max);
        }
        try {
            return new ClientRateLimits(perSecond, (int) Math.min(burst, Integer.MAX_VALUE),
                    (int) Math.min(max, Integer.MAX_VALUE), nanoClock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hookrail.ingest.clientRateLimit: " + e.getMessage(), e);
        }
    }

    /**
     * Takes a token of the address's bucket.
     *
     * @return 0 when the delivery may go on, else the whole seconds (at least 1) after which a retry can succeed
     */
    public long tryAcquire(String address) {
        RateLimiter bucket;
        synchronized (byAddress) {
            bucket = byAddress.computeIfAbsent(address, a -> new RateLimiter(perSecond, burst, nanoClock));
        }
        long retryAfter = bucket.tryAcquire();
        if (retryAfter > 0) {
            warnThrottled();
        }
        return retryAfter;
    }

    /** How many addresses have a bucket, for tests. */
    int addresses() {
        synchronized (byAddress) {
            return byAddress.size();
        }
    }

    private void warnThrottled() {
        long count = refused.incrementAndGet();
        long now = nanoClock.getAsLong();
        long last = warnedAt.get();
        if ((last == Long.MIN_VALUE || now - last >= WARN_INTERVAL_NANOS) && warnedAt.compareAndSet(last, now)) {
            refused.addAndGet(-count);
            // no address in the line: it is personal data, and one line covers every address refused meanwhile
            LOG.warn("Client addresses over the webhook rate limit of {}/s (burst {}) per address: refused {} "
                    + "deliver{} with 429", perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond)
                    : String.valueOf(perSecond), burst, count, count == 1 ? "y" : "ies");
        }
    }

    private static double number(Function<String, String> property, String key, String fallback) {
        String value = property.apply(key);
        value = value == null || value.isBlank() ? fallback : value.trim();
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + value + "'", e);
        }
    }
}

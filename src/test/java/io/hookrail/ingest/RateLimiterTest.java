package io.hookrail.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket against a clock the test moves by hand. */
class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(123_456_789L);

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void aFullBucketLetsTheBurstThroughThenRefuses() {
        RateLimiter limiter = new RateLimiter(1, 3, nanos::get);
        assertEquals(0, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        assertEquals(1, limiter.tryAcquire());
        assertEquals(1, limiter.tryAcquire(), "a refusal takes no token");
    }

    @Test
    void tokensComeBackAtTheRate() {
        RateLimiter limiter = new RateLimiter(10, 1, nanos::get);
        assertEquals(0, limiter.tryAcquire());
        assertEquals(1, limiter.tryAcquire());
        advanceMillis(99);
        assertEquals(1, limiter.tryAcquire(), "0.99 of a token is not a token");
        advanceMillis(1);
        assertEquals(0, limiter.tryAcquire());
        assertEquals(1, limiter.tryAcquire());
    }

    @Test
    void refillNeverExceedsTheBurst() {
        RateLimiter limiter = new RateLimiter(100, 2, nanos::get);
        advanceMillis(TimeUnit.HOURS.toMillis(1));
        assertEquals(0, limiter.tryAcquire());
        assertEquals(0, limiter.tryAcquire());
        assertTrue(limiter.tryAcquire() > 0, "an idle hour still leaves only the burst");
    }

    @Test
    void sustainedRateIsThePerSecondRate() {
        RateLimiter limiter = new RateLimiter(8, 8, nanos::get);
        for (int i = 0; i < 8; i++) {
            assertEquals(0, limiter.tryAcquire());
        }
        int admitted = 0;
        for (int step = 0; step < 640; step++) { // ten seconds of a request every 15.625 ms (64 a second)
            nanos.addAndGet(15_625_000L);
            if (limiter.tryAcquire() == 0) {
                admitted++;
            }
        }
        assertEquals(80, admitted);
    }

    @Test
    void retryAfterIsTheWholeSecondsUntilATokenIsThere() {
        RateLimiter slow = new RateLimiter(0.25, 1, nanos::get); // one every 4 s
        assertEquals(0, slow.tryAcquire());
        assertEquals(4, slow.tryAcquire());
        advanceMillis(1_000);
        assertEquals(3, slow.tryAcquire());
        advanceMillis(2_500);
        assertEquals(1, slow.tryAcquire(), "0.5 s is rounded up to a whole second");
        advanceMillis(500);
        assertEquals(0, slow.tryAcquire());
    }

    @Test
    void retryAfterIsAtLeastOneSecondEvenAtHighRates() {
        RateLimiter fast = new RateLimiter(1_000, 1, nanos::get);
        assertEquals(0, fast.tryAcquire());
        assertEquals(1, fast.tryAcquire());
    }

    @Test
    void nonsensicalLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(0, 1, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(-1, 1, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(Double.NaN, 1, nanos::get));
        assertThrows(IllegalArgumentException.class, () -> new RateLimiter(1, 0, nanos::get));
    }

    @Test
    void sourcesHaveTheDefaultLimitUnlessTheyOverrideIt() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "hookrail.source.crm.rateLimit.perSecond", "1",
                "hookrail.source.crm.rateLimit.burst", "2",
                "hookrail.source.support.rateLimit.burst", "7"));
        SourceRateLimits limits = SourceRateLimits.fromProperties(properties::get, List.of("shop", "crm", "support"),
                nanos::get);
        assertEquals(5000, limits.limiter("shop").perSecond());
        assertEquals(10000, limits.limiter("shop").burst());
        assertEquals(1, limits.limiter("crm").perSecond());
        assertEquals(2, limits.limiter("crm").burst());
        assertEquals(5000, limits.limiter("support").perSecond());
        assertEquals(7, limits.limiter("support").burst());

        properties.put("hookrail.ingest.rateLimit.perSecond", "50");
        properties.put("hookrail.ingest.rateLimit.burst", "60");
        limits = SourceRateLimits.fromProperties(properties::get, List.of("shop", "crm"), nanos::get);
        assertEquals(50, limits.limiter("shop").perSecond());
        assertEquals(60, limits.limiter("shop").burst());
        assertEquals(1, limits.limiter("crm").perSecond());
    }

    @Test
    void eachSourceHasItsOwnBucket() {
        Map<String, String> properties = Map.of(
                "hookrail.source.crm.rateLimit.perSecond", "1",
                "hookrail.source.crm.rateLimit.burst", "1");
        SourceRateLimits limits = SourceRateLimits.fromProperties(properties::get, List.of("shop", "crm"), nanos::get);
        assertEquals(0, limits.tryAcquire("crm"));
        assertEquals(1, limits.tryAcquire("crm"));
        assertEquals(0, limits.tryAcquire("shop"));
        assertEquals(0, limits.tryAcquire("unknown"), "an unknown source is refused with 404 elsewhere, not here");
    }

    @Test
    void badLimitsStopStartupNamingTheSourceOrKey() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> SourceRateLimits.fromProperties(Map.of("hookrail.source.crm.rateLimit.burst", "lots")::get,
                        List.of("crm"), nanos::get));
        assertTrue(notANumber.getMessage().contains("hookrail.source.crm.rateLimit.burst"), notANumber.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> SourceRateLimits.fromProperties(Map.of("hookrail.ingest.rateLimit.perSecond", "0")::get,
                        List.of("shop"), nanos::get));
        assertTrue(zero.getMessage().contains("'shop'"), zero.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SourceRateLimits.fromProperties(Map.of("hookrail.ingest.rateLimit.burst", "1.5")::get,
                        List.of("shop"), nanos::get));
    }
}

package io.hookrail.ingest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientRateLimitsTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void eachAddressHasItsOwnBucket() {
        ClientRateLimits limits = new ClientRateLimits(1, 2, 100, now::get);
        assertEquals(0, limits.tryAcquire("10.0.0.1"));
        assertEquals(0, limits.tryAcquire("10.0.0.1"));
        assertEquals(1, limits.tryAcquire("10.0.0.1"));
        assertEquals(0, limits.tryAcquire("10.0.0.2"), "another address is not charged");
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, limits.tryAcquire("10.0.0.1"), "refilled");
    }

    @Test
    void theNumberOfBucketsIsBoundedForgettingTheLeastRecentlySeen() {
        ClientRateLimits limits = new ClientRateLimits(1, 1, 3, now::get);
        limits.tryAcquire("a");
        limits.tryAcquire("b");
        limits.tryAcquire("c");
        assertTrue(limits.tryAcquire("a") > 0, "a is empty and was just seen again");
        limits.tryAcquire("d"); // forgets b, the least recently seen
        assertEquals(3, limits.addresses());
        assertTrue(limits.tryAcquire("a") > 0, "a was kept");
        assertEquals(0, limits.tryAcquire("b"), "b was forgotten and comes back full");
    }

    @Test
    void configurationIsReadAndBadFiguresStopStartupNamingTheKey() {
        Map<String, String> properties = new HashMap<>();
        ClientRateLimits defaults = ClientRateLimits.fromProperties(properties::get, now::get);
        for (int i = 0; i < 10_000; i++) {
            assertEquals(0, defaults.tryAcquire("x"), "the default burst is 10000");
        }
        assertTrue(defaults.tryAcquire("x") > 0);

        properties.put("hookrail.ingest.clientRateLimit.perSecond", "fast");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClientRateLimits.fromProperties(properties::get, now::get));
        assertEquals("hookrail.ingest.clientRateLimit.perSecond must be a number, was 'fast'", e.getMessage());
        properties.put("hookrail.ingest.clientRateLimit.perSecond", "0");
        e = assertThrows(IllegalArgumentException.class, () -> ClientRateLimits.fromProperties(properties::get, now::get));
        assertTrue(e.getMessage().startsWith("hookrail.ingest.clientRateLimit: the rate must be a positive number"),
                e.getMessage());
    }
}

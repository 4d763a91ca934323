package io.hookrail.support;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polls a condition of a running Hookrail until it holds, for at most 30 seconds. */
public final class Await {

    private Await() {
    }

    /** Whether the condition came to hold within 30 s. */
    public static boolean until(BooleanSupplier condition) throws InterruptedException {
        return until(java.time.Duration.ofSeconds(30), condition);
    }

    /** Whether the condition came to hold within the time given. */
    public static boolean until(java.time.Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}

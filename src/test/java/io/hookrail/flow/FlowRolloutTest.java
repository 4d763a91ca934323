package io.hookrail.flow;

import java.time.Instant;
import java.util.stream.IntStream;

import io.hookrail.flow.FlowRollout.State;
import io.hookrail.flow.FlowRollouts.Finished;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowRolloutTest {

    static FlowRollout rollout(State state, int share) {
        return new FlowRollout("order-fulfilment", "1", "2", share, FlowRollout.Mode.CANARY, state, null,
                Instant.EPOCH);
    }

    @Test
    void aCanaryTakesItsShareOfBusinessIdsByAStableHash() {
        FlowRollout canary = rollout(State.CANARY, 20);
        long onCandidate = IntStream.range(0, 10_000).mapToObj(i -> "ORD-" + i)
                .filter(id -> "2".equals(canary.versionFor(id))).count();
        assertTrue(onCandidate > 1_800 && onCandidate < 2_200, "20 % of 10000 ids, not " + onCandidate);
        // the same id goes the same way every time, on every instance: SHA-256, not hashCode
        assertEquals(FlowRollout.bucket("ORD-10001"), FlowRollout.bucket("ORD-10001"));
        assertEquals(70, FlowRollout.bucket("ORD-10001"), "the first four bytes of its SHA-256, modulo 100");
    }

    @Test
    void eachStateSendsNewRunsToItsVersion() {
        assertEquals("1", rollout(State.STABLE, 0).versionFor("ORD-1"));
        assertEquals("1", rollout(State.ROLLED_BACK, 100).versionFor("ORD-1"));
        assertEquals("1", rollout(State.SHADOW, 100).versionFor("ORD-1"));
        assertEquals("2", rollout(State.PROMOTED, 0).versionFor("ORD-1"));
        assertEquals("2", rollout(State.CANARY, 100).versionFor("ORD-1"));
        assertEquals("1", rollout(State.CANARY, 0).versionFor("ORD-1"));
        assertThrows(IllegalArgumentException.class, () -> rollout(State.CANARY, 101));
    }

    @Test
    void aCanaryIsRolledBackOnlyOnceItsSampleFailsMoreThanTheMargin() {
        FlowRollout canary = rollout(State.CANARY, 20);
        // below the minimum sample, however bad
        assertTrue(FlowRollouts.verdict(new Finished(100, 0), new Finished(0, 19), canary, 20, 0.1).isEmpty());
        // within the margin: 15 % against 10 %
        assertTrue(FlowRollouts.verdict(new Finished(90, 10), new Finished(17, 3), canary, 20, 0.1).isEmpty());
        assertEquals("version 2 failed 5 of 20 runs (25.0 %), version 1 10 of 100 (10.0 %): more than 10.0 points worse",
                FlowRollouts.verdict(new Finished(90, 10), new Finished(15, 5), canary, 20, 0.1).orElseThrow());
        // a stable version with no finished run yet counts as never failing
        assertTrue(FlowRollouts.verdict(Finished.NONE, new Finished(17, 3), canary, 20, 0.1).isPresent());
    }
}

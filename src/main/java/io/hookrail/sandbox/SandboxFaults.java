package io.hookrail.sandbox;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * The faults injected into the sandbox's systems, at most one per system, held in memory: a restart heals them all.
 * Thread-safe; calls read the current fault of their system without locking.
 */
final class SandboxFaults {

    static final double DEFAULT_RATE = 1.0;
    static final long DEFAULT_DELAY_MS = 2000;
    // beyond a minute a "slow" system only ties up the HTTP worker threads; downstream timeouts are far shorter
    static final long MAX_DELAY_MS = 60_000;

    /** What a faulty system does to its mutating calls. */
    enum Mode {
        /** Answers every call 503 and does nothing. */
        DOWN,
        /** Waits {@code delayMs}, then works normally. */
        SLOW,
        /** Answers 500 and does nothing, with probability {@code rate}. */
        ERROR
    }

    /** One system's fault. */
    record Fault(String system, Mode mode, double rate, long delayMs) {

        ObjectNode toJson() {
            return HttpAnswers.MAPPER.createObjectNode()
                    .put("system", system)
                    .put("mode", mode.name().toLowerCase(Locale.ROOT))
                    .put("rate", rate)
                    .put("delayMs", delayMs);
        }
    }

    private final Set<String> systems;
    private final Map<String, Fault> bySystem = new ConcurrentHashMap<>();

    SandboxFaults(Set<String> systems) {
        this.systems = Set.copyOf(systems);
    }

    /** Reads a fault as {@code POST /sandbox/faults} gives it; rate and delayMs are optional. */
    Fault parse(JsonNode body) throws SandboxRejection {
        if (body == null || !body.isObject()) {
            throw SandboxRejection.invalid("The body must be a JSON object");
        }
        JsonNode system = body.get("system");
        if (system == null || !system.isTextual() || !systems.contains(system.asText())) {
            throw SandboxRejection.invalid("system must be one of " + systems.stream().sorted().toList());
        }
        JsonNode mode = body.get("mode");
        Mode parsedMode = null;
        if (mode != null && mode.isTextual()) {
            for (Mode candidate : Mode.values()) {
                if (candidate.name().equalsIgnoreCase(mode.asText())) {
                    parsedMode = candidate;
                }
            }
        }
        if (parsedMode == null) {
            throw SandboxRejection.invalid("mode must be one of down, slow, error");
        }
        JsonNode rate = body.get("rate");
        if (rate != null && !rate.isNull() && (!rate.isNumber() || rate.asDouble() < 0 || rate.asDouble() > 1)) {
            throw SandboxRejection.invalid("rate must be a number from 0 to 1");
        }
        JsonNode delay = body.get("delayMs");
        if (delay != null && !delay.isNull()
                && (!delay.isIntegralNumber() || delay.asLong() < 0 || delay.asLong() > MAX_DELAY_MS)) {
            throw SandboxRejection.invalid("delayMs must be an integer from 0 to " + MAX_DELAY_MS);
        }
        return new Fault(system.asText(), parsedMode,
                rate == null || rate.isNull() ? DEFAULT_RATE : rate.asDouble(),
                delay == null || delay.isNull() ? DEFAULT_DELAY_MS : delay.asLong());
    }

    /** Sets the system's fault, replacing the one it had. */
    void inject(Fault fault) {
        bySystem.put(fault.system(), fault);
    }

    void clear() {
        bySystem.clear();
    }

    /** The current faults, by system name. */
    List<Fault> list() {
        return bySystem.values().stream().sorted(Comparator.comparing(Fault::system)).toList();
    }

    /**
     * Applies the system's fault to one mutating call, before anything else happens to it: throws for down and
     * (by chance) for error, so the call has no effect; sleeps for slow.
     */
    void inflict(String system) throws SandboxRejection, InterruptedException {
        Fault fault = bySystem.get(system);
        if (fault == null) {
            return;
        }
        switch (fault.mode()) {
            case DOWN -> throw SandboxRejection.down(system);
            case ERROR -> {
                if (ThreadLocalRandom.current().nextDouble() < fault.rate()) {
                    throw SandboxRejection.injectedError(system);
                }
            }
            case SLOW -> Thread.sleep(fault.delayMs());
        }
    }
}

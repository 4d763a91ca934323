package io.hookrail.sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.store.SqlStates;

/**
 * The faults injected into the sandbox's systems, in table {@code sandbox_fault}: every instance on the store applies
 * a fault injected through any of them, and a fault outlives a restart until {@code DELETE /sandbox/faults} (on any
 * instance) clears them all. A system has at most one system-wide fault and one per operation; a call gets its
 * operation's fault if there is one, else its system's, read with one primary-key query per mutating call.
 */
final class SandboxFaults {

    static final double DEFAULT_RATE = 1.0;
    static final long DEFAULT_DELAY_MS = 2000;
    /**
     * The longest wait of a "slow" fault: the sandbox's wait holds an HTTP worker thread, so a longer one would only
     * stall the instance; it is the downstream response timeout's default (10 s), enough to make a call time out.
     */
    static final long MAX_DELAY_MS = 10_000;
    static final long DEFAULT_RETRY_AFTER_SECONDS = 1;
    // an hour is the longest a real API's throttle plausibly asks for; more would only stall a test or a demo
    static final long MAX_RETRY_AFTER_SECONDS = 3600;

    /** What a faulty system does to its mutating calls. */
    enum Mode {
        /** Answers every call 503 and does nothing. */
        DOWN,
        /** Waits {@code delayMs}, then works normally. */
        SLOW,
        /** Answers 500 and does nothing, with probability {@code rate}. */
        ERROR,
        /** Answers 429 with {@code Retry-After: retryAfterSeconds} and does nothing, with probability {@code rate}. */
        THROTTLE
    }

    /** One fault of a system, or of one operation of it when {@code operation} is not null. */
    record Fault(String system, String operation, Mode mode, double rate, long delayMs, long retryAfterSeconds) {

        ObjectNode toJson() {
            ObjectNode json = HttpAnswers.MAPPER.createObjectNode().put("system", system);
            if (operation != null) {
                json.put("operation", operation);
            }
            return json.put("mode", mode.name().toLowerCase(Locale.ROOT))
                    .put("rate", rate)
                    .put("delayMs", delayMs)
                    .put("retryAfterSeconds", retryAfterSeconds);
        }
    }

    private static final Comparator<Fault> LISTING = Comparator.comparing(Fault::system)
            .thenComparing(Fault::operation, Comparator.nullsFirst(Comparator.naturalOrder()));

    /** The {@code operation} column of a system-wide fault: part of the primary key, so not null. */
    private static final String WHOLE_SYSTEM = "";
    private static final String COLUMNS = "system, operation, mode, rate, delay_ms, retry_after_seconds";

    private final DataSource dataSource;
    private final Map<String, Set<String>> operationsBySystem;

    /** @param operationsBySystem each system's operation names, which per-operation faults must be one of */
    SandboxFaults(DataSource dataSource, Map<String, Set<String>> operationsBySystem) {
        this.dataSource = dataSource;
        this.operationsBySystem = Map.copyOf(operationsBySystem);
    }

    /** Reads a fault as {@code POST /sandbox/faults} gives it; all but system and mode are optional. */
    Fault parse(JsonNode body) throws SandboxRejection {
        if (body == null || !body.isObject()) {
            throw SandboxRejection.invalid("The body must be a JSON object");
        }
        JsonNode system = body.get("system");
        if (system == null || !system.isTextual() || !operationsBySystem.containsKey(system.asText())) {
            throw SandboxRejection.invalid("system must be one of "
                    + operationsBySystem.keySet().stream().sorted().toList());
        }
        String operation = operation(system.asText(), body.get("operation"));
        Mode mode = mode(body.get("mode"));
        JsonNode rate = body.get("rate");
        if (present(rate) && (!rate.isNumber() || rate.asDouble() < 0 || rate.asDouble() > 1)) {
            throw SandboxRejection.invalid("rate must be a number from 0 to 1");
        }
        long delayMs = integer(body, "delayMs", DEFAULT_DELAY_MS, MAX_DELAY_MS);
        long retryAfterSeconds = integer(body, "retryAfterSeconds", DEFAULT_RETRY_AFTER_SECONDS,
                MAX_RETRY_AFTER_SECONDS);
        return new Fault(system.asText(), operation, mode, present(rate) ? rate.asDouble() : DEFAULT_RATE, delayMs,
                retryAfterSeconds);
    }

    /** The operation a fault is limited to, or null for the whole system. */
    private String operation(String system, JsonNode operation) throws SandboxRejection {
        if (!present(operation)) {
            return null;
        }
        List<String> allowed = operationsBySystem.get(system).stream().sorted().toList();
        if (!operation.isTextual() || !allowed.contains(operation.asText())) {
            throw SandboxRejection.invalid("operation must be one of the " + system + " operations " + allowed
                    + ", or left out for a fault of the whole system");
        }
        return operation.asText();
    }

    private static Mode mode(JsonNode mode) throws SandboxRejection {
        if (mode != null && mode.isTextual()) {
            for (Mode candidate : Mode.values()) {
                if (candidate.name().equalsIgnoreCase(mode.asText())) {
                    return candidate;
                }
            }
        }
        throw SandboxRejection.invalid("mode must be one of down, slow, error, throttle");
    }

    /** An optional integer field from 0 to max, or its default when absent or null. */
    private static long integer(JsonNode body, String field, long defaultValue, long max) throws SandboxRejection {
        JsonNode value = body.get(field);
        if (!present(value)) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0 || value.asLong() > max) {
            throw SandboxRejection.invalid(field + " must be an integer from 0 to " + max);
        }
        return value.asLong();
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    /** Sets the fault of its scope, replacing the one that scope had; faults of other scopes stay. */
    void inject(Fault fault) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // update, else insert; an insert that loses to a concurrent one of the same scope updates the winner's row
            for (int attempt = 0; ; attempt++) {
                if (replace(connection, fault) == 1) {
                    return;
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO sandbox_fault (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, fault.system());
                    insert.setString(2, column(fault.operation()));
                    insert.setString(3, fault.mode().name());
                    insert.setDouble(4, fault.rate());
                    insert.setLong(5, fault.delayMs());
                    insert.setLong(6, fault.retryAfterSeconds());
                    insert.executeUpdate();
                    return;
                } catch (SQLException e) {
                    if (!SqlStates.isUniqueViolation(e) || attempt > 0) {
                        throw e;
                    }
                }
            }
        }
    }

    private static int replace(Connection connection, Fault fault) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE sandbox_fault SET mode = ?, rate = ?, "
                + "delay_ms = ?, retry_after_seconds = ? WHERE system = ? AND operation = ?")) {
            update.setString(1, fault.mode().name());
            update.setDouble(2, fault.rate());
            update.setLong(3, fault.delayMs());
            update.setLong(4, fault.retryAfterSeconds());
            update.setString(5, fault.system());
            update.setString(6, column(fault.operation()));
            return update.executeUpdate();
        }
    }

    void clear() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM sandbox_fault")) {
            delete.executeUpdate();
        }
    }

    /** The current faults, by system, each system's own fault before those of its operations. */
    List<Fault> list() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sandbox_fault")) {
            // sorted here, not by ORDER BY: PostgreSQL's collation may order '.' and '_' unlike Java
            return read(select).stream().sorted(LISTING).toList();
        }
    }

    /**
     * Applies the fault of the call's operation, else of its system, to one mutating call before anything else
     * happens to it: throws for down and (by chance) for error and throttle, so the call has no effect; sleeps for
     * slow.
     */
    void inflict(SandboxOperation operation) throws SandboxRejection, InterruptedException, SQLException {
        inflict(operation.system(), operation.operation());
    }

    /** As {@link #inflict(SandboxOperation)}, for a call that is no {@link SandboxOperation} (the ERP's feed). */
    void inflict(String system, String operation) throws SandboxRejection, InterruptedException, SQLException {
        Fault fault = faultOf(system, operation);
        if (fault == null) {
            return;
        }
        switch (fault.mode()) {
            case DOWN -> throw SandboxRejection.down(fault);
            case ERROR -> {
                if (byChance(fault)) {
                    throw SandboxRejection.injectedError(fault);
                }
            }
            case THROTTLE -> {
                if (byChance(fault)) {
                    throw SandboxRejection.throttled(fault);
                }
            }
            case SLOW -> Thread.sleep(fault.delayMs());
        }
    }

    /** The call's operation's fault, else its system's, else null: one query on the primary key. */
    private Fault faultOf(String system, String operation) throws SQLException {
        List<Fault> faults;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM sandbox_fault "
                     + "WHERE system = ? AND operation IN (?, ?)")) {
            select.setString(1, system);
            select.setString(2, operation);
            select.setString(3, WHOLE_SYSTEM);
            faults = read(select);
        }
        Fault found = null;
        for (Fault fault : faults) {
            if (fault.operation() != null) {
                return fault;
            }
            found = fault;
        }
        return found;
    }

    private static List<Fault> read(PreparedStatement select) throws SQLException {
        List<Fault> faults = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String operation = rows.getString(2);
                faults.add(new Fault(rows.getString(1), WHOLE_SYSTEM.equals(operation) ? null : operation,
                        Mode.valueOf(rows.getString(3)), rows.getDouble(4), rows.getLong(5), rows.getLong(6)));
            }
        }
        return faults;
    }

    private static String column(String operation) {
        return operation == null ? WHOLE_SYSTEM : operation;
    }

    private static boolean byChance(Fault fault) {
        return ThreadLocalRandom.current().nextDouble() < fault.rate();
    }
}

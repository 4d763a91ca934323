package io.hookrail.flow;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.flow.StepJournal.Run;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow runs (ADR 11): while a flow's candidate is in mode {@code shadow}, a copy of each of the stable version's
 * finished live runs (Wire Tap of the flow's entry) runs through the candidate's steps, with the live run's policy
 * outcome, against the sandbox only: every call goes to the sandbox under a key of its own
 * ({@value #KEY_PREFIX}...), nothing is journaled, compensated or dead-lettered, and the run is kept as its calls'
 * steps and request hashes ({@code flow_shadow_run}). The parity report compares those with the live run's journaled
 * calls.
 */
public final class FlowShadows {

    /** The registry name of the bean. */
    public static final String BEAN = "flowShadows";
    /** The prefix of a shadow call's Idempotency-Key, so it never meets the live call's. */
    public static final String KEY_PREFIX = "shadow:";
    /** Exchange property: the calls a shadow run made, so far. */
    static final String CALLS = "shadowCalls";
    /** Exchange property: the shadow run is recorded (failed), nothing more to do. */
    static final String RECORDED = "shadowRecorded";
    private static final Logger LOG = LoggerFactory.getLogger(FlowShadows.class);
    private static final int REPORTED_RUNS = 100;

    private final DataSource dataSource;
    private final FlowRollouts rollouts;
    private final StepJournal journal;
    private final Clock clock;
    private final Function<String, String> downstreamUrl;
    private final String sandboxUrl;

    /**
     * @param downstreamUrl the base URL of a downstream system ({@code hookrail.downstream.<system>.url})
     * @param sandboxUrl    the sandbox's base URL, under which each system is {@code /<system>}
     */
    public FlowShadows(DataSource dataSource, FlowRollouts rollouts, StepJournal journal, Clock clock,
                       Function<String, String> downstreamUrl, String sandboxUrl) {
        this.dataSource = dataSource;
        this.rollouts = rollouts;
        this.journal = journal;
        this.clock = clock;
        this.downstreamUrl = downstreamUrl;
        this.sandboxUrl = sandboxUrl.endsWith("/") ? sandboxUrl.substring(0, sandboxUrl.length() - 1) : sandboxUrl;
    }

    /** Whether the exchange is a shadow run. */
    public static boolean isShadow(Exchange exchange) {
        return exchange.getProperty(FlowContext.SHADOW, false, Boolean.class);
    }

    /** Whether a copy of this live run, which went through its steps, goes to the flow's shadow version. */
    public boolean wanted(Exchange exchange) {
        String outcome = exchange.getProperty(FlowOutcomes.OUTCOME, "completed", String.class);
        return !isShadow(exchange) && !"held".equals(outcome) && !FlowRun.EXPIRED.equals(outcome)
                && rollouts.of(exchange.getProperty(FlowContext.FLOW, String.class)).state() == FlowRollout.State.SHADOW;
    }

    /** Makes the copy a run of the candidate version: its steps, its version, no step state of the live run. */
    public void begin(Exchange exchange) {
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        FlowRollout rollout = rollouts.of(flow);
        exchange.setProperty(FlowContext.SHADOW, true);
        exchange.setProperty(FlowContext.FLOW_VERSION, rollout.candidateVersion());
        exchange.setProperty(FlowContext.STEPS, FlowRun.stepsOf(exchange.getContext(), flow, rollout.candidateVersion(),
                rollout.stableVersion()));
        exchange.setProperty(CALLS, new ArrayList<Map<String, String>>());
        List.of(JournaledStep.STEP, JournaledStep.ALREADY_DONE, JournaledStep.IN_FLIGHT, JournaledStep.TRIES,
                JournaledStep.COMPENSATION, JournaledStep.UNDOES, Exchange.DUPLICATE_MESSAGE).forEach(exchange::removeProperty);
    }

    /**
     * A call of a shadow run: remembered by its step, system and request hash; returns the sandbox URL it goes to.
     *
     * @throws IllegalStateException for a URL outside its system's base URL (the sandbox could not stand in for it)
     */
    @SuppressWarnings("unchecked")
    String call(Exchange exchange, String step, String system, String url, String body) {
        String base = Objects.requireNonNull(downstreamUrl.apply(system), "no base URL of downstream system " + system);
        if (!url.startsWith(base)) {
            throw new IllegalStateException("shadow call " + step + " goes to " + url + ", outside the base URL of "
                    + system + " (" + base + "): the sandbox cannot stand in for it");
        }
        Map<String, String> call = new LinkedHashMap<>();
        call.put("step", step);
        call.put("system", system);
        call.put("requestSha256", StepJournal.sha256(body == null ? "" : body));
        exchange.getProperty(CALLS, List.class).add(call);
        return sandboxUrl + "/" + system + url.substring(base.length());
    }

    /** The shadow run went through its steps. */
    public void completed(Exchange exchange) throws SQLException {
        if (!exchange.getProperty(RECORDED, false, Boolean.class)) {
            record(exchange, "completed", null);
        }
    }

    /** The shadow run failed; it is recorded, and ends. */
    public void failed(Exchange exchange) throws SQLException {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        record(exchange, "failed", failure == null ? "failed" : String.valueOf(failure.getMessage()));
        exchange.setProperty(RECORDED, true);
    }

    private void record(Exchange exchange, String outcome, String failure) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO flow_shadow_run (flow, version, business_id, attempt, event_id, outcome, failure, calls, at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, exchange.getProperty(FlowContext.FLOW, String.class));
            insert.setString(2, exchange.getProperty(FlowContext.FLOW_VERSION, String.class));
            insert.setString(3, exchange.getProperty(FlowContext.BUSINESS_ID, String.class));
            insert.setInt(4, exchange.getProperty(FlowContext.ATTEMPT, 1, Integer.class));
            insert.setString(5, exchange.getProperty(FlowContext.EVENT_ID, String.class));
            insert.setString(6, outcome);
            insert.setString(7, failure == null || failure.length() <= 2000 ? failure : failure.substring(0, 2000));
            insert.setString(8, HttpAnswers.MAPPER.writeValueAsString(exchange.getProperty(CALLS, List.class)));
            insert.setObject(9, clock.instant().atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (failure != null) {
            LOG.info("Shadow run of {} version {} failed: {}", exchange.getProperty(FlowContext.FLOW),
                    exchange.getProperty(FlowContext.FLOW_VERSION), failure);
        }
    }

    /**
     * The parity report of the flow's current shadow rollout: for each shadow run since it began, its calls against
     * the live run's (by step and request hash): the steps only one of them called, and those whose request differs;
     * summed per step, with the runs that differ (the newest {@value #REPORTED_RUNS}).
     */
    public ObjectNode parity(String flow) throws SQLException, IOException {
        FlowRollout rollout = rollouts.of(flow);
        ObjectNode report = HttpAnswers.MAPPER.createObjectNode()
                .put("flow", flow)
                .put("stableVersion", rollout.stableVersion())
                .put("candidateVersion", rollout.candidateVersion())
                .put("since", rollout.startedAt().toString());
        Map<String, int[]> byStep = new LinkedHashMap<>();
        ArrayNode differing = HttpAnswers.MAPPER.createArrayNode();
        int compared = 0;
        int matching = 0;
        int failed = 0;
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT business_id, attempt, event_id, outcome, failure, calls FROM flow_shadow_run"
                        + " WHERE flow = ? AND version = ? AND at >= ? ORDER BY at DESC, id DESC")) {
            select.setString(1, flow);
            select.setString(2, rollout.candidateVersion());
            select.setObject(3, rollout.startedAt().atOffset(ZoneOffset.UTC));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    compared++;
                    Map<String, String> live = new LinkedHashMap<>();
                    for (StepJournal.Step step : journal.steps(new Run(flow, row.getString(1), row.getInt(2)))) {
                        if (step.undoes() == null) {
                            live.put(step.step(), StepJournal.sha256(step.requestBody()));
                        }
                    }
                    Map<String, String> shadow = new LinkedHashMap<>();
                    for (JsonNode call : HttpAnswers.MAPPER.readTree(row.getString(6))) {
                        shadow.put(call.path("step").asText(), call.path("requestSha256").asText());
                    }
                    ObjectNode run = compare(live, shadow, byStep);
                    boolean runFailed = "failed".equals(row.getString(4));
                    failed += runFailed ? 1 : 0;
                    if (run.isEmpty() && !runFailed) {
                        matching++;
                    } else if (differing.size() < REPORTED_RUNS) {
                        run.put("eventId", row.getString(3)).put("businessId", row.getString(1))
                                .put("outcome", row.getString(4));
                        if (runFailed) {
                            run.put("failure", row.getString(5));
                        }
                        differing.add(run);
                    }
                }
            }
        }
        report.put("compared", compared).put("matching", matching).put("failed", failed);
        ArrayNode calls = report.putArray("differingCalls");
        byStep.forEach((step, count) -> calls.addObject().put("step", step).put("onlyLive", count[0])
                .put("onlyShadow", count[1]).put("requestDiffers", count[2]));
        report.set("differingRuns", differing);
        return report;
    }

    /** The differences of one run, counted per step too: [only live, only shadow, request differs]. */
    private static ObjectNode compare(Map<String, String> live, Map<String, String> shadow, Map<String, int[]> byStep) {
        ObjectNode run = HttpAnswers.MAPPER.createObjectNode();
        live.forEach((step, hash) -> {
            if (!shadow.containsKey(step)) {
                run.withArray("onlyLive").add(step);
                byStep.computeIfAbsent(step, s -> new int[3])[0]++;
            } else if (!shadow.get(step).equals(hash)) {
                run.withArray("requestDiffers").add(step);
                byStep.computeIfAbsent(step, s -> new int[3])[2]++;
            }
        });
        shadow.keySet().stream().filter(step -> !live.containsKey(step)).forEach(step -> {
            run.withArray("onlyShadow").add(step);
            byStep.computeIfAbsent(step, s -> new int[3])[1]++;
        });
        return run;
    }
}

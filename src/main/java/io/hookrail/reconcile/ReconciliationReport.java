package io.hookrail.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * What a reconciliation found for the events accepted in {@code [from, to)}: where each one ended in each flow that
 * consumes its type, and, when the sandbox is the downstream side, the completed steps whose effect is missing or
 * doubled. Rendered as JSON ({@code GET /api/reconciliation}) and CSV (one row per event and flow, then per effect).
 *
 * @param owners            who answers for each flow, as its {@code flow-entry} declares it
 * @param downstreamChecked the completed steps checked downstream; null when no check is available (the sandbox is
 *                          off and no flow declares a reconciliation hook)
 * @param hooks             the steps whose effects their reconciliation hook checks
 * @param unchecked         the completed steps whose hook failed
 */
record ReconciliationReport(Instant from, Instant to, Instant at, List<EventLine> events, Map<String, Owner> owners,
                            Integer downstreamChecked, Set<String> hooks, List<Effect> missingEffects,
                            List<Effect> duplicateEffects, List<Unchecked> unchecked) {

    /** A flow's {@code owner} and {@code riskTier}. */
    record Owner(String owner, String riskTier) {
    }

    /** One accepted event in one flow. {@code detail}: the dead letter's kind, or an in-flight event's state. */
    record EventLine(String flow, String source, String eventId, String eventType, Instant receivedAt,
                     Accounting accounting, String detail) {

        long ageSeconds(Instant at) {
            return Math.max(0, Duration.between(receivedAt, at).toSeconds());
        }
    }

    /**
     * A completed step and its effects downstream: the ledger entries of its operation on its business id that are
     * not undone ({@code checkedBy} {@value #SANDBOX}), or the records its hook found ({@value #HOOK}).
     */
    record Effect(String flow, String eventId, String businessId, String step, String idempotencyKey,
                  int effects, String checkedBy) {

        static final String SANDBOX = "sandbox";
        static final String HOOK = "hook";
    }

    /** A completed step its reconciliation hook could not check, and why. */
    record Unchecked(String flow, String eventId, String businessId, String step, String idempotencyKey,
                     String reason) {
    }

    private static final String CSV_HEADER = "record,flow,source,event_id,event_type,received_at,status,detail";

    long unaccounted() {
        return events.stream().filter(line -> line.accounting() == Accounting.UNACCOUNTED).count();
    }

    ObjectNode toJson() {
        ObjectNode report = HttpAnswers.MAPPER.createObjectNode()
                .put("from", from.toString())
                .put("to", to.toString())
                .put("at", at.toString())
                .put("accepted", events.stream().map(EventLine::eventId).distinct().count());
        ObjectNode flows = report.putObject("flows");
        Map<String, List<EventLine>> byFlow = events.stream()
                .collect(Collectors.groupingBy(EventLine::flow, TreeMap::new, Collectors.toList()));
        byFlow.forEach((flow, lines) -> {
            ObjectNode counts = flows.putObject(flow);
            Owner owner = owners.get(flow);
            if (owner != null) {
                counts.put("owner", owner.owner()).put("riskTier", owner.riskTier());
            }
            for (Accounting accounting : Accounting.values()) {
                counts.put(accounting.value(), lines.stream().filter(line -> line.accounting() == accounting).count());
            }
            ObjectNode kinds = counts.putObject("dead_lettered_by_kind");
            lines.stream().filter(line -> line.accounting() == Accounting.DEAD_LETTERED)
                    .collect(Collectors.groupingBy(EventLine::detail, TreeMap::new, Collectors.counting()))
                    .forEach(kinds::put);
        });
        ArrayNode all = report.putArray("events");
        events.forEach(line -> eventJson(all, line).put("status", line.accounting().value())
                .put("detail", line.detail()));
        ArrayNode inFlight = report.putArray("inFlight");
        lines(Accounting.IN_FLIGHT).forEach(line -> eventJson(inFlight, line).put("state", line.detail())
                .put("ageSeconds", line.ageSeconds(at)));
        ArrayNode unaccounted = report.putArray("unaccounted");
        lines(Accounting.UNACCOUNTED).forEach(line -> eventJson(unaccounted, line));

        ObjectNode downstream = report.putObject("downstream");
        downstream.put("available", downstreamChecked != null);
        if (downstreamChecked == null) {
            downstream.put("reason", "the sandbox is off and no flow declares a reconciliation hook");
        } else {
            downstream.put("checkedSteps", downstreamChecked.intValue());
            hooks.forEach(downstream.putArray("hooks")::add);
            effectsJson(downstream.putArray("missing"), missingEffects);
            effectsJson(downstream.putArray("duplicates"), duplicateEffects);
            ArrayNode failed = downstream.putArray("unchecked");
            unchecked.forEach(step -> failed.addObject().put("flow", step.flow()).put("eventId", step.eventId())
                    .put("businessId", step.businessId()).put("step", step.step())
                    .put("idempotencyKey", step.idempotencyKey()).put("reason", step.reason()));
        }
        return report;
    }

    /**
     * One row per event and flow ({@code record} = {@code event}), then one per missing or duplicate effect
     * ({@code record} = {@code effect}, the business id and idempotency key in {@code source} and {@code detail}),
     * and one per step its hook could not check ({@code unchecked_effect}, why in {@code detail}).
     */
    String toCsv() {
        StringBuilder csv = new StringBuilder(CSV_HEADER).append("\r\n");
        for (EventLine line : events) {
            String detail = line.accounting() == Accounting.IN_FLIGHT
                    ? line.detail() + " " + line.ageSeconds(at) + "s" : line.detail();
            row(csv, "event", line.flow(), line.source(), line.eventId(), line.eventType(),
                    line.receivedAt().toString(), line.accounting().value(), detail);
        }
        Stream.concat(missingEffects.stream().map(effect -> Map.entry("missing_effect", effect)),
                duplicateEffects.stream().map(effect -> Map.entry("duplicate_effect", effect)))
                .forEach(entry -> {
                    Effect effect = entry.getValue();
                    row(csv, "effect", effect.flow(), effect.businessId(), effect.eventId(), effect.step(), "",
                            entry.getKey(), effect.idempotencyKey() + " (" + effect.effects() + " effects by "
                                    + effect.checkedBy() + ")");
                });
        unchecked.forEach(step -> row(csv, "effect", step.flow(), step.businessId(), step.eventId(), step.step(), "",
                "unchecked_effect", step.idempotencyKey() + " (" + step.reason() + ")"));
        return csv.toString();
    }

    private Stream<EventLine> lines(Accounting accounting) {
        return events.stream().filter(line -> line.accounting() == accounting);
    }

    private static ObjectNode eventJson(ArrayNode array, EventLine line) {
        return array.addObject().put("flow", line.flow()).put("source", line.source()).put("eventId", line.eventId())
                .put("eventType", line.eventType()).put("receivedAt", line.receivedAt().toString());
    }

    private static void effectsJson(ArrayNode array, List<Effect> effects) {
        effects.forEach(effect -> array.addObject().put("flow", effect.flow()).put("eventId", effect.eventId())
                .put("businessId", effect.businessId()).put("step", effect.step())
                .put("idempotencyKey", effect.idempotencyKey()).put("effects", effect.effects())
                .put("checkedBy", effect.checkedBy()));
    }

    private static void row(StringBuilder csv, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            csv.append(i == 0 ? "" : ",").append(cell(cells[i]));
        }
        csv.append("\r\n");
    }

    /** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        return value.matches("(?s).*[\",\r\n].*") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}

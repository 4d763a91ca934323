package io.hookrail.ops;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.ops.metrics.HookrailMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Prometheus alert rules and the Grafana dashboard under {@code docker/}: valid for promtool, proved by their rule
 * unit tests, and using only metrics (names, labels and label values) that Hookrail and Camel emit, so that renaming
 * a metric breaks the build instead of silencing an alert.
 * <p>
 * The promtool tests are skipped, not passed, where promtool is not installed ({@code apt-get install prometheus}
 * provides {@code /usr/bin/promtool}; {@code .ci/run} installs it). The other tests need nothing but the files.
 */
class AlertRulesTest {

    static final Path BASE = Path.of(System.getProperty("user.dir"));
    static final Path DOCKER = BASE.resolve("docker");
    static final Path PROMETHEUS_CONFIG = DOCKER.resolve("prometheus/prometheus.yml");
    static final Path ALERTS = DOCKER.resolve("prometheus/alerts.yml");
    static final Path ALERT_TESTS = DOCKER.resolve("prometheus/alerts.test.yml");
    static final Path DASHBOARD = DOCKER.resolve("grafana/hookrail-dashboard.json");

    /** Each alert's runbook: its own page, this plus {@code <alert name>.md}, in docs/runbooks/. */
    static final String RUNBOOK_BASE = "https://github.com/hookrail/hookrail/blob/main/docs/runbooks/";
    static final Path RUNBOOKS = BASE.resolve("docs/runbooks");
    static final String DATASOURCE = "${DS_PROMETHEUS}";
    static final Set<String> SEVERITIES = Set.of("warning", "critical");

    static final ObjectMapper JSON = new ObjectMapper();

    // ---------------------------------------------------------------------------------------------------------------
    // The metrics Hookrail exposes on /observe/metrics, with their labels and, where fixed, the labels' values.

    record Metric(String name, Set<String> labels, Map<String, Set<String>> values) {
    }

    static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    /** The flows of the route files: each {@code flow} parameter of a {@code flow-entry} route. */
    static final Set<String> FLOWS = flowsOfRouteFiles();
    static final Set<String> SYSTEMS = Set.of("erp", "payments", "email", "crm");
    static final Set<String> STATUSES = Set.of("2xx", "4xx", "5xx", "error");
    /** The outcome labels Hookrail emits, from the code that emits them. */
    static final Set<String> WEBHOOK_OUTCOMES = Set.copyOf(HookrailMetrics.WEBHOOK_OUTCOMES);
    static final Set<String> FLOW_OUTCOMES = Set.copyOf(HookrailMetrics.FLOW_OUTCOMES);
    static final Set<String> PROBE_RESULTS = Set.copyOf(HookrailMetrics.PROBE_RESULTS);
    static final Set<String> POLL_OUTCOMES = Set.of("accepted", "duplicate", "invalid");
    static final Set<String> KPIS = Set.of("orders_fulfilled", "invoices_posted", "refunds_issued", "leads_routed");
    /** Tags of camel-micrometer's route policy meters (MicrometerRoutePolicyNamingStrategy, Camel 4.17). */
    static final Set<String> CAMEL_ROUTE_LABELS = Set.of("camelContext", "kind", "routeId", "eventType");

    static final Map<String, Metric> METRICS = catalogue(
            metric("hookrail_webhooks_received_total", Set.of("source", "type", "outcome"),
                    Map.of("outcome", WEBHOOK_OUTCOMES)),
            metric("hookrail_flow_outcomes_total", Set.of("flow", "version", "outcome"),
                    Map.of("flow", FLOWS, "outcome", FLOW_OUTCOMES)),
            metric("hookrail_downstream_call_seconds_bucket", Set.of("system", "operation", "status", "flow", "version", "le"),
                    Map.of("system", SYSTEMS, "status", STATUSES)),
            metric("hookrail_downstream_call_seconds_count", Set.of("system", "operation", "status", "flow", "version"),
                    Map.of("system", SYSTEMS, "status", STATUSES)),
            metric("hookrail_downstream_call_seconds_sum", Set.of("system", "operation", "status", "flow", "version"),
                    Map.of("system", SYSTEMS, "status", STATUSES)),
            metric("hookrail_flow_redeliveries_total", Set.of("flow", "version"), Map.of("flow", FLOWS)),
            metric("hookrail_flow_info", Set.of("flow", "version", "owner", "risk_tier", "kpi"), Map.of("flow", FLOWS)),
            metric("hookrail_probe_duration_seconds_bucket", Set.of("flow", "result", "le"),
                    Map.of("flow", FLOWS, "result", PROBE_RESULTS)),
            metric("hookrail_probe_duration_seconds_count", Set.of("flow", "result"),
                    Map.of("flow", FLOWS, "result", PROBE_RESULTS)),
            metric("hookrail_probe_duration_seconds_sum", Set.of("flow", "result"),
                    Map.of("flow", FLOWS, "result", PROBE_RESULTS)),
            metric("hookrail_circuit_breaker_state", Set.of("system"), Map.of("system", SYSTEMS)),
            metric("hookrail_dlq_depth", Set.of("flow"), Map.of("flow", FLOWS)),
            metric("hookrail_dlq_oldest_age_seconds", Set.of("flow"), Map.of("flow", FLOWS)),
            metric("hookrail_approvals_pending", Set.of("flow"), Map.of("flow", FLOWS)),
            metric("hookrail_approvals_oldest_pending_age_seconds", Set.of("flow"), Map.of("flow", FLOWS)),
            metric("hookrail_business_events_total", Set.of("kpi"), Map.of("kpi", KPIS)),
            metric("hookrail_business_amount_minor_units_total", Set.of("kpi", "currency"), Map.of("kpi", KPIS)),
            metric("hookrail_ready", Set.of(), Map.of()),
            metric("hookrail_reconciliation_unaccounted", Set.of(), Map.of()),
            metric("hookrail_reconciliation_missing_effects", Set.of(), Map.of()),
            metric("hookrail_reconciliation_duplicate_effects", Set.of(), Map.of()),
            metric("hookrail_poll_items_total", Set.of("source", "outcome"), Map.of("outcome", POLL_OUTCOMES)),
            metric("hookrail_poll_last_success_timestamp_seconds", Set.of("source"), Map.of()),
            metric("hookrail_poll_lag_seconds", Set.of("source"), Map.of()),
            metric("hookrail_poll_interval_seconds", Set.of("source"), Map.of()),
            metric("hookrail_quarantined_total", Set.of("flow", "rule"), Map.of("flow", FLOWS)),
            metric("hookrail_volume_observed", Set.of("source", "type"), Map.of()),
            metric("hookrail_volume_expected", Set.of("source", "type"), Map.of()),
            metric("hookrail_volume_anomaly", Set.of("source", "type", "direction"),
                    Map.of("direction", Set.of("drop", "spike"))),
            metric("up", Set.of(), Map.of()),
            // camel-micrometer-prometheus route policy (MicrometerConstants, Camel 4.17), Prometheus names
            metric("camel_exchanges_total", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_exchanges_succeeded_total", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_exchanges_failed_total", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_exchanges_failures_handled_total", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_exchanges_external_redeliveries_total", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_exchanges_inflight", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_route_policy_seconds_count", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_route_policy_seconds_sum", CAMEL_ROUTE_LABELS, Map.of()),
            metric("camel_route_policy_seconds_max", CAMEL_ROUTE_LABELS, Map.of()));

    /** Every label any of the metrics has: what {@code by (...)}, {@code on (...)} and legends may name. */
    static final Set<String> ALL_LABELS = METRICS.values().stream()
            .flatMap(m -> m.labels().stream())
            .collect(Collectors.toCollection(TreeSet::new));

    static Metric metric(String name, Set<String> labels, Map<String, Set<String>> values) {
        Set<String> all = new LinkedHashSet<>(labels);
        all.addAll(TARGET_LABELS);
        return new Metric(name, all, values);
    }

    static Map<String, Metric> catalogue(Metric... metrics) {
        Map<String, Metric> map = new LinkedHashMap<>();
        for (Metric m : metrics) {
            map.put(m.name(), m);
        }
        return map;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // promtool

    @Test
    void alertRulesAreValid() throws Exception {
        promtool("check", "rules", BASE.relativize(ALERTS).toString());
    }

    @Test
    void prometheusConfigIsValidAndLoadsTheRules() throws Exception {
        // rule_files are resolved against the config file's folder, where alerts.yml is
        String output = promtool("check", "config", BASE.relativize(PROMETHEUS_CONFIG).toString());
        assertTrue(output.contains("1 rule files found"), "the config loads no rule file:\n" + output);
    }

    @Test
    void alertRuleUnitTestsPass() throws Exception {
        promtool("test", "rules", BASE.relativize(ALERT_TESTS).toString());
    }

    /** Every dashboard query, its Grafana variables filled in, is PromQL that Prometheus parses. */
    @Test
    void dashboardQueriesAreValidPromQl(@TempDir Path dir) throws Exception {
        Path promtool = promtoolOrSkip();
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard-queries\n    rules:\n");
        int n = 0;
        for (Query query : dashboardQueries()) {
            String expr = fillGrafanaVariables(query.expr());
            rules.append("      - record: dashboard:query_").append(++n).append('\n')
                    .append("        expr: ").append(JSON.writeValueAsString(expr)).append('\n');
        }
        assertTrue(n > 0, "the dashboard has no queries");
        Path file = dir.resolve("dashboard-queries.yml");
        Files.writeString(file, rules.toString());
        run(promtool, "check", "rules", file.toString());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // alerts.yml and its tests, read as YAML

    @Test
    void everyAlertHasForSeveritySummaryDescriptionAndItsRunbook() throws IOException {
        List<String> problems = new ArrayList<>();
        String index = Files.readString(RUNBOOKS.resolve("README.md"));
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> rule : alertRules()) {
            String alert = (String) rule.get("alert");
            if (!names.add(alert)) {
                problems.add(alert + ": defined twice");
            }
            if (!(rule.get("for") instanceof String duration) || duration.isBlank()) {
                problems.add(alert + ": no `for`");
            }
            Map<String, Object> labels = map(rule.get("labels"));
            if (!SEVERITIES.contains(String.valueOf(labels.get("severity")))) {
                problems.add(alert + ": severity " + labels.get("severity") + " is not one of " + SEVERITIES);
            }
            Map<String, Object> annotations = map(rule.get("annotations"));
            for (String key : List.of("summary", "description", "runbook_url")) {
                if (!(annotations.get(key) instanceof String text) || text.isBlank()) {
                    problems.add(alert + ": no annotations." + key);
                }
            }
            String runbook = RUNBOOK_BASE + alert + ".md";
            if (!runbook.equals(annotations.get("runbook_url"))) {
                problems.add(alert + ": runbook_url is " + annotations.get("runbook_url") + ", not " + runbook);
            }
            Path page = RUNBOOKS.resolve(alert + ".md");
            if (!Files.exists(page) || !Files.readString(page).startsWith("# Runbook: " + alert + "\n")) {
                problems.add(alert + ": docs/runbooks/" + alert + ".md is not a page \"# Runbook: " + alert + "\"");
            }
            if (!index.contains("](" + alert + ".md)")) {
                problems.add(alert + ": docs/runbooks/README.md does not link " + alert + ".md");
            }
        }
        assertFalse(names.isEmpty(), "alerts.yml has no alerts");
        assertEquals(List.of(), problems);
    }

    @Test
    void everyAlertHasAFiringAndASilentUnitTest() throws IOException {
        Map<String, Integer> firing = new LinkedHashMap<>();
        Map<String, Integer> silent = new LinkedHashMap<>();
        Map<String, Object> tests = yaml(ALERT_TESTS);
        assertEquals(List.of("alerts.yml"), tests.get("rule_files"), "alerts.test.yml must test alerts.yml");
        for (Object group : list(tests.get("tests"))) {
            for (Object test : list(map(group).get("alert_rule_test"))) {
                Map<String, Object> t = map(test);
                String alert = (String) t.get("alertname");
                boolean fires = !list(t.get("exp_alerts")).isEmpty();
                (fires ? firing : silent).merge(alert, 1, Integer::sum);
            }
        }
        List<String> missing = new ArrayList<>();
        for (Map<String, Object> rule : alertRules()) {
            String alert = (String) rule.get("alert");
            if (!firing.containsKey(alert)) {
                missing.add(alert + ": no case where it fires");
            }
            if (!silent.containsKey(alert)) {
                missing.add(alert + ": no case where it stays silent");
            }
        }
        Set<String> unknown = new TreeSet<>(firing.keySet());
        unknown.addAll(silent.keySet());
        alertRules().forEach(rule -> unknown.remove((String) rule.get("alert")));
        unknown.forEach(alert -> missing.add(alert + ": tested, but not in alerts.yml"));
        assertEquals(List.of(), missing);
    }

    @Test
    void prometheusScrapesHookrailAsJobHookrail() throws IOException {
        Map<String, Object> config = yaml(PROMETHEUS_CONFIG);
        assertEquals(List.of("alerts.yml"), config.get("rule_files"));
        Map<String, Object> job = list(config.get("scrape_configs")).stream().map(AlertRulesTest::map)
                .filter(c -> "hookrail".equals(c.get("job_name")))
                .findFirst().orElse(null);
        assertNotNull(job, "no scrape job named hookrail: the alerts select up{job=\"hookrail\"}");
        assertEquals("/observe/metrics", job.get("metrics_path"));
    }

    @Test
    void alertsUseOnlyHookrailAndCamelMetrics() throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (Map<String, Object> rule : alertRules()) {
            PromQl.Parsed parsed = PromQl.parse((String) rule.get("expr"));
            parsed.selectors().forEach(s -> used.add(s.metric()));
            problems.addAll(check("alert " + rule.get("alert"), parsed));
        }
        assertEquals(List.of(), problems);
        assertTrue(used.contains("hookrail_dlq_depth") && used.contains("up"), "the parser found no metrics: " + used);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the Grafana dashboard, read with Jackson

    @Test
    void dashboardHasBusinessAndHealthRowsAndEveryPanelQueriesPrometheus() throws IOException {
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertTrue(dashboard.path("schemaVersion").asInt() >= 36, "schemaVersion " + dashboard.path("schemaVersion"));
        assertTrue(dashboard.path("uid").isTextual(), "no uid");

        // ${DS_PROMETHEUS}: an input when imported, a data source variable when provisioned
        assertTrue(stream(dashboard.path("__inputs"))
                .anyMatch(i -> "DS_PROMETHEUS".equals(i.path("name").asText())
                        && "prometheus".equals(i.path("pluginId").asText())), "no DS_PROMETHEUS input");
        assertTrue(stream(dashboard.path("templating").path("list"))
                .anyMatch(v -> "DS_PROMETHEUS".equals(v.path("name").asText())
                        && "datasource".equals(v.path("type").asText())
                        && "prometheus".equals(v.path("query").asText())), "no DS_PROMETHEUS data source variable");

        Map<String, List<JsonNode>> rows = rows(dashboard);
        assertEquals(List.of("Business KPIs", "System health"), List.copyOf(rows.keySet()), "rows");

        List<String> problems = new ArrayList<>();
        Set<Integer> ids = new TreeSet<>();
        for (Map.Entry<String, List<JsonNode>> row : rows.entrySet()) {
            if (row.getValue().isEmpty()) {
                problems.add("row " + row.getKey() + " has no panels");
            }
            for (JsonNode panel : row.getValue()) {
                String name = "panel '" + panel.path("title").asText() + "'";
                if (!ids.add(panel.path("id").asInt())) {
                    problems.add(name + ": id " + panel.path("id") + " used twice");
                }
                if (!DATASOURCE.equals(panel.path("datasource").path("uid").asText())) {
                    problems.add(name + ": datasource is " + panel.path("datasource") + ", not " + DATASOURCE);
                }
                List<JsonNode> targets = stream(panel.path("targets")).toList();
                if (targets.isEmpty()) {
                    problems.add(name + ": no targets");
                }
                for (JsonNode target : targets) {
                    if (target.path("expr").asText().isBlank()) {
                        problems.add(name + ": target " + target.path("refId").asText() + " has no expr");
                    }
                    if (target.has("datasource") && !DATASOURCE.equals(target.path("datasource").path("uid").asText())) {
                        problems.add(name + ": target datasource is " + target.path("datasource"));
                    }
                }
            }
        }
        assertEquals(List.of(), problems);

        // what each row is for: the business KPIs in one, the system's health in the other
        assertRowUses(rows.get("Business KPIs"), "hookrail_business_events_total",
                "hookrail_business_amount_minor_units_total", "hookrail_approvals_pending");
        assertRowMentions(rows.get("Business KPIs"), "orders_fulfilled", "invoices_posted", "refunds_issued",
                "leads_routed");
        assertRowUses(rows.get("System health"), "hookrail_webhooks_received_total", "hookrail_flow_outcomes_total",
                "hookrail_dlq_depth", "hookrail_dlq_oldest_age_seconds", "hookrail_downstream_call_seconds_bucket",
                "hookrail_flow_redeliveries_total", "hookrail_ready");
        assertRowMentions(rows.get("System health"), "histogram_quantile(0.5,", "histogram_quantile(0.95,");
    }

    @Test
    void dashboardUsesOnlyHookrailAndCamelMetrics() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Query query : dashboardQueries()) {
            problems.addAll(check(query.where(), PromQl.parse(query.expr())));
            Matcher legend = Pattern.compile("\\{\\{\\s*([^}\\s]+)\\s*}}").matcher(query.legend());
            while (legend.find()) {
                if (!ALL_LABELS.contains(legend.group(1))) {
                    problems.add(query.where() + ": legend names label " + legend.group(1) + ", which no metric has");
                }
            }
        }
        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        for (JsonNode variable : stream(dashboard.path("templating").path("list")).toList()) {
            if (!"query".equals(variable.path("type").asText())) {
                continue;
            }
            String where = "variable $" + variable.path("name").asText();
            JsonNode q = variable.path("query");
            String text = q.isTextual() ? q.asText() : q.path("query").asText();
            Matcher labelValues = Pattern.compile("label_values\\((.+),\\s*([A-Za-z_]\\w*)\\s*\\)").matcher(text.trim());
            if (!labelValues.matches()) {
                problems.add(where + ": not label_values(<selector>, <label>): " + text);
                continue;
            }
            PromQl.Parsed parsed = PromQl.parse(labelValues.group(1));
            problems.addAll(check(where, parsed));
            for (PromQl.Selector s : parsed.selectors()) {
                Metric m = METRICS.get(s.metric());
                if (m != null && !m.labels().contains(labelValues.group(2))) {
                    problems.add(where + ": " + s.metric() + " has no label " + labelValues.group(2));
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The check itself: a renamed metric, label or label value is found, however it is written. */
    @Test
    void metricCheckFindsRenamedMetricsLabelsAndValues() {
        PromQl.Parsed parsed = PromQl.parse("histogram_quantile(0.95, sum by (system, le) "
                + "(rate(hookrail_downstream_call_seconds_bucket{instance=~\"$instance\"}[$__rate_interval]))) > 2 "
                + "and on (system) sum without (instance) (up{job=\"hookrail\"} offset 5m) "
                + "or label_replace(hookrail_ready, \"x\", \"$1\", \"instance\", \"(.*)\")");
        assertEquals(List.of("hookrail_downstream_call_seconds_bucket", "up", "hookrail_ready"),
                parsed.selectors().stream().map(PromQl.Selector::metric).toList());
        assertEquals(Set.of("system", "le", "instance"), parsed.groupingLabels());
        assertEquals(List.of(), check("sample", parsed));

        assertEquals(1, check("x", PromQl.parse("sum(rate(hookrail_dlq_dept[5m]))")).size(), "renamed metric");
        assertEquals(1, check("x", PromQl.parse("max by (flw) (hookrail_dlq_depth)")).size(), "renamed grouping");
        assertEquals(1, check("x", PromQl.parse("hookrail_dlq_depth{flw=\"refund\"}")).size(), "renamed label");
        assertEquals(1, check("x", PromQl.parse(
                "increase(hookrail_flow_outcomes_total{outcome=~\"completed|dead_letter\"}[15m])")).size(),
                "renamed label value");
        assertEquals(1, check("x", PromQl.parse("{__name__=~\"hookrail_.*\"}")).size(), "selector without a name");
        assertEquals(1, check("x", PromQl.parse("process_cpu_usage")).size(), "a metric Hookrail does not list");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // checks

    static List<String> check(String where, PromQl.Parsed parsed) {
        List<String> problems = new ArrayList<>();
        parsed.problems().forEach(p -> problems.add(where + ": " + p));
        for (PromQl.Selector s : parsed.selectors()) {
            Metric metric = METRICS.get(s.metric());
            if (metric == null) {
                problems.add(where + ": unknown metric " + s.metric());
                continue;
            }
            for (PromQl.LabelMatcher m : s.matchers()) {
                if (!metric.labels().contains(m.label())) {
                    problems.add(where + ": " + s.metric() + " has no label " + m.label());
                    continue;
                }
                Set<String> allowed = metric.values().get(m.label());
                if (allowed == null || m.value().contains("$")) {
                    continue; // a free label, or a Grafana variable
                }
                List<String> values = m.op().endsWith("~") ? PromQl.alternatives(m.value()) : List.of(m.value());
                if (values == null) {
                    continue; // a real regular expression: nothing to compare
                }
                for (String value : values) {
                    if (!allowed.contains(value)) {
                        problems.add(where + ": " + s.metric() + "{" + m.label() + "} has no value " + value
                                + " (values: " + new TreeSet<>(allowed) + ")");
                    }
                }
            }
        }
        for (String label : parsed.groupingLabels()) {
            if (!ALL_LABELS.contains(label)) {
                problems.add(where + ": groups by label " + label + ", which no metric has");
            }
        }
        return problems;
    }

    static void assertRowUses(List<JsonNode> panels, String... metrics) {
        Set<String> used = new TreeSet<>();
        for (JsonNode panel : panels) {
            for (JsonNode target : stream(panel.path("targets")).toList()) {
                PromQl.parse(target.path("expr").asText()).selectors().forEach(s -> used.add(s.metric()));
            }
        }
        for (String metric : metrics) {
            assertTrue(used.contains(metric), "no panel of the row shows " + metric + "; the row uses " + used);
        }
    }

    static void assertRowMentions(List<JsonNode> panels, String... texts) {
        String exprs = panels.stream().flatMap(p -> stream(p.path("targets")))
                .map(t -> t.path("expr").asText()).collect(Collectors.joining("\n"));
        for (String text : texts) {
            assertTrue(exprs.contains(text), "no query of the row has " + text);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // reading the files

    record Query(String where, String expr, String legend) {
    }

    /** Rows in order, each with its panels: those below it on the grid, or those it holds when collapsed. */
    static Map<String, List<JsonNode>> rows(JsonNode dashboard) {
        Map<String, List<JsonNode>> rows = new LinkedHashMap<>();
        List<JsonNode> current = null;
        List<JsonNode> panels = new ArrayList<>(stream(dashboard.path("panels")).toList());
        panels.sort((a, b) -> {
            int y = Integer.compare(a.path("gridPos").path("y").asInt(), b.path("gridPos").path("y").asInt());
            return y != 0 ? y : Integer.compare(a.path("gridPos").path("x").asInt(), b.path("gridPos").path("x").asInt());
        });
        for (JsonNode panel : panels) {
            if ("row".equals(panel.path("type").asText())) {
                current = new ArrayList<>(stream(panel.path("panels")).toList());
                rows.put(panel.path("title").asText(), current);
            } else {
                if (current == null) {
                    rows.put("(no row)", current = new ArrayList<>());
                }
                current.add(panel);
            }
        }
        return rows;
    }

    static List<Query> dashboardQueries() throws IOException {
        List<Query> queries = new ArrayList<>();
        for (List<JsonNode> panels : rows(JSON.readTree(DASHBOARD.toFile())).values()) {
            for (JsonNode panel : panels) {
                for (JsonNode target : stream(panel.path("targets")).toList()) {
                    queries.add(new Query("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(),
                            target.path("expr").asText(), target.path("legendFormat").asText()));
                }
            }
        }
        return queries;
    }

    /** Grafana's variables as Prometheus would see them: intervals and ranges a duration, the rest "match all". */
    static String fillGrafanaVariables(String expr) {
        Matcher m = Pattern.compile("\\$\\{?(\\w+)(?::\\w+)?}?").matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1).startsWith("__") ? "5m" : ".*");
        }
        return m.appendTail(out).toString();
    }

    static List<Map<String, Object>> alertRules() throws IOException {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Object group : list(yaml(ALERTS).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                if (map(rule).containsKey("alert")) {
                    rules.add(map(rule));
                }
            }
        }
        return rules;
    }

    static Set<String> flowsOfRouteFiles() {
        Set<String> flows = new TreeSet<>();
        try (var files = Files.list(BASE.resolve("src/main/resources/routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                for (Object item : (List<?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file))) {
                    Map<String, Object> route = map(map(item).get("templatedRoute"));
                    if ("flow-entry".equals(route.get("routeTemplateRef"))) {
                        list(route.get("parameters")).stream().map(AlertRulesTest::map)
                                .filter(p -> "flow".equals(p.get("name"))).forEach(p -> flows.add((String) p.get("value")));
                    }
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return flows;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // running promtool

    /** promtool: -Dhookrail.test.promtool, else on the PATH, else where Debian and .ci/run put it. */
    static Path findPromtool() {
        String configured = System.getProperty("hookrail.test.promtool");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "promtool"));
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        candidates.add(Path.of("/usr/local/bin/promtool"));
        return candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
    }

    static Path promtoolOrSkip() {
        Path promtool = findPromtool();
        assumeTrue(promtool != null && Files.isExecutable(promtool),
                "promtool is not installed, so the alert rules are not checked: apt-get install prometheus "
                        + "(Debian; only its /usr/bin/promtool is used, .ci/run installs just that), "
                        + "or -Dhookrail.test.promtool=/path/to/promtool");
        return promtool;
    }

    static String promtool(String... args) throws Exception {
        return run(promtoolOrSkip(), args);
    }

    static String run(Path promtool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(BASE.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] bytes = process.getInputStream().readAllBytes(); // until promtool exits and closes its output
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        String output = new String(bytes, StandardCharsets.UTF_8);
        String shown = String.join(" ", command) + "\n" + output;
        assertTrue(exited, "promtool did not exit within 60 s: " + shown);
        System.out.println(shown);
        assertEquals(0, process.exitValue(), "promtool failed: " + shown);
        return output;
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Just enough of a PromQL lexer to find every series selector (metric name and label matchers) and every label
     * named by {@code by}, {@code without}, {@code on}, {@code ignoring}, {@code group_left} and {@code group_right}.
     * Functions and aggregations are told apart from metric names by the parenthesis that follows them.
     */
    static final class PromQl {

        record LabelMatcher(String label, String op, String value) {
        }

        record Selector(String metric, List<LabelMatcher> matchers) {
        }

        record Parsed(List<Selector> selectors, Set<String> groupingLabels, List<String> problems) {
        }

        static final Pattern TOKEN = Pattern.compile(
                "(?<space>\\s+)"
                        + "|(?<string>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
                        + "|(?<variable>\\$\\{[^}]*}|\\$\\w+)"
                        + "|(?<range>\\[[^\\]]*])"
                        + "|(?<braces>\\{(?:[^}\"']|\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')*})"
                        + "|(?<number>[0-9][0-9a-zA-Z.]*)"
                        + "|(?<identifier>[A-Za-z_:][A-Za-z0-9_:]*)"
                        + "|(?<other>.)", Pattern.DOTALL);
        static final Pattern MATCHER = Pattern.compile(
                "\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*')\\s*,?");
        static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "atan2", "inf", "nan");
        static final Set<String> GROUPING = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
        static final Set<String> AGGREGATIONS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
                "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio");

        record Token(String kind, String text) {
        }

        static Parsed parse(String expr) {
            List<Token> tokens = new ArrayList<>();
            Matcher m = TOKEN.matcher(expr);
            while (m.find()) {
                for (String kind : List.of("string", "variable", "range", "braces", "number", "identifier", "other")) {
                    if (m.group(kind) != null) {
                        tokens.add(new Token(kind, m.group(kind)));
                        break;
                    }
                }
            }
            List<Selector> selectors = new ArrayList<>();
            Set<String> grouping = new LinkedHashSet<>();
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                Token t = tokens.get(i);
                Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : new Token("end", "");
                if (t.kind().equals("braces")) {
                    problems.add("a selector without a metric name: " + t.text());
                    continue;
                }
                if (!t.kind().equals("identifier")) {
                    continue;
                }
                String word = t.text();
                if (GROUPING.contains(word)) {
                    if (next.text().equals("(")) {
                        int j = i + 2;
                        for (; j < tokens.size() && !tokens.get(j).text().equals(")"); j++) {
                            if (tokens.get(j).kind().equals("identifier")) {
                                grouping.add(tokens.get(j).text());
                            }
                        }
                        i = j;
                    }
                    continue;
                }
                if (KEYWORDS.contains(word.toLowerCase(Locale.ROOT)) || next.text().equals("(")
                        || (AGGREGATIONS.contains(word) && GROUPING.contains(next.text()))) {
                    continue; // an operator, a function or an aggregation
                }
                List<LabelMatcher> matchers = new ArrayList<>();
                if (next.kind().equals("braces")) {
                    String body = next.text().substring(1, next.text().length() - 1);
                    Matcher lm = MATCHER.matcher(body);
                    int end = 0;
                    while (lm.lookingAt()) {
                        String quoted = lm.group(3);
                        matchers.add(new LabelMatcher(lm.group(1), lm.group(2), unquote(quoted)));
                        end = lm.end();
                        lm.region(end, body.length());
                    }
                    if (!body.substring(end).isBlank()) {
                        problems.add(word + ": cannot read label matchers " + next.text());
                    }
                    i++;
                }
                selectors.add(new Selector(word, matchers));
            }
            return new Parsed(selectors, grouping, problems);
        }

        static String unquote(String quoted) {
            String inner = quoted.substring(1, quoted.length() - 1);
            return quoted.startsWith("`") ? inner : inner.replaceAll("\\\\(.)", "$1");
        }

        /** The alternatives of a regex that is only literal words joined by {@code |}, else null. */
        static List<String> alternatives(String regex) {
            return regex.matches("[A-Za-z0-9_\\-]+(\\|[A-Za-z0-9_\\-]+)*") ? List.of(regex.split("\\|")) : null;
        }
    }
}

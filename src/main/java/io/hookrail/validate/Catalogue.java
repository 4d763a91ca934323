package io.hookrail.validate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code java -jar hookrail.jar catalogue [dir]}: the catalogue of the flows, {@code docs/flows.md}, generated from
 * the files {@code validate} reads (the route files, {@code policies.yaml}, {@code application.properties}): per
 * flow its event type and sources, owner, risk tier and KPI (the {@code flow-entry} parameters), its policy rules,
 * and its steps and compensations in the order they are written. {@code FlowCatalogueTest} keeps the file in step.
 */
public final class Catalogue {

    public static final String COMMAND = "catalogue";
    private static final String ENTRY_TEMPLATE = "flow-entry";
    private static final String STEP = "kamelet:downstream-call-action";

    /** One flow as its files declare it. */
    record Flow(String name, String file, String description, Map<String, String> parameters) {

        String parameter(String key, String fallback) {
            return parameters.getOrDefault(key, fallback);
        }
    }

    /** One journaled step: its name, system and compensation route. */
    record Step(String step, String system, String compensation) {
    }

    private Catalogue() {
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.size() > 1 || (args.size() == 1 && !Files.isDirectory(Path.of(args.get(0))))) {
            err.println("usage: java -jar hookrail.jar catalogue [dir] > docs/flows.md   (dir: as for validate)");
            return 2;
        }
        out.print(render(args.isEmpty() ? FlowFiles.onClasspath() : FlowFiles.in(Path.of(args.get(0)))));
        return 0;
    }

    /** The catalogue of the flows of these files, as Markdown. */
    public static String render(List<ValidatedFile> files) {
        List<Flow> flows = new ArrayList<>();
        Map<String, JsonNode> routesByFrom = new LinkedHashMap<>();
        Properties properties = new Properties();
        JsonNode policies = null;
        for (ValidatedFile file : files) {
            if (file.isProperties()) {
                load(properties, file);
            } else if (file.isPolicies()) {
                policies = tree(file).map(YamlTree::json).orElse(null);
            } else if (file.isRoutes()) {
                tree(file).ifPresent(tree -> read(tree.json(), file, flows, routesByFrom));
            }
        }
        flows.sort(java.util.Comparator.comparing(Flow::name));
        Map<String, Set<String>> sourcesByType = sourcesByType(properties);

        StringBuilder md = new StringBuilder();
        md.append("# Flows\n\n")
                .append("The catalogue of Hookrail's flows, generated from the route files, `policies.yaml` and\n")
                .append("`application.properties` by `java -jar target/hookrail.jar catalogue > docs/flows.md`;\n")
                .append("`FlowCatalogueTest` fails when it is out of date. Each flow declares its `owner`, `riskTier`\n")
                .append("and `kpi` in its `flow-entry` ([flows guide](flows-guide.md)); the metric `hookrail_flow_info`\n")
                .append("carries them too.\n\n")
                .append("| flow | event type | sources | owner | risk tier | KPI | version |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Flow flow : flows) {
            String type = flow.parameter("eventType", "?");
            md.append("| [").append(flow.name()).append("](#").append(flow.name()).append(") | `").append(type)
                    .append("` | ").append(String.join(", ", sourcesByType.getOrDefault(type, Set.of("none"))))
                    .append(" | ").append(flow.parameter("owner", "**none**"))
                    .append(" | ").append(flow.parameter("riskTier", "**none**"))
                    .append(" | ").append(code(flow.parameter("kpi", "none")))
                    .append(" | ").append(flow.parameter("version", "1")).append(" |\n");
        }
        for (Flow flow : flows) {
            String type = flow.parameter("eventType", "?");
            md.append("\n## ").append(flow.name()).append("\n\n");
            if (!flow.description().isEmpty()) {
                md.append(flow.description()).append("\n\n");
            }
            md.append("- **Consumes** `").append(type).append("` from ")
                    .append(String.join(", ", sourcesByType.getOrDefault(type, Set.of("no source"))))
                    .append("; business id `").append(flow.parameter("businessIdField", "?"))
                    .append("`, idempotency key `<").append(flow.parameter("businessIdField", "?")).append(">:")
                    .append(flow.parameter("operation", "?")).append("`\n");
            md.append("- **Owner** ").append(flow.parameter("owner", "none")).append("; **risk tier** ")
                    .append(flow.parameter("riskTier", "none")).append("; **KPI** ")
                    .append(code(flow.parameter("kpi", "none"))).append("\n");
            md.append("- **Policy**: ").append(policy(policies, type)).append("\n");
            List<Step> steps = steps(routesByFrom.get("direct:" + flow.name()));
            md.append("- **Steps** (version ").append(flow.parameter("version", "1")).append("): ")
                    .append(steps.isEmpty() ? "none" : String.join(", ", steps.stream().map(Catalogue::describe)
                            .toList())).append("\n");
            List<String> compensations = new ArrayList<>();
            for (Step step : steps) {
                if (step.compensation() != null) {
                    steps(routesByFrom.get(step.compensation())).forEach(undo ->
                            compensations.add("`" + step.step() + "` by `" + undo.step() + "` (" + undo.system() + ")"));
                }
            }
            md.append("- **Compensations**: ").append(compensations.isEmpty() ? "none" : String.join(", ", compensations))
                    .append("\n");
            routesByFrom.keySet().stream().filter(from -> from.startsWith("direct:" + flow.name() + "-v"))
                    .filter(from -> from.substring(("direct:" + flow.name() + "-v").length()).matches("[0-9]+"))
                    .forEach(from -> md.append("- **Version ").append(from.substring(from.lastIndexOf("-v") + 2))
                            .append("** beside it: ").append(String.join(", ", steps(routesByFrom.get(from)).stream()
                                    .map(Catalogue::describe).toList())).append("\n"));
            md.append("- **File** `").append(flow.file()).append("`\n");
        }
        return md.toString();
    }

    private static String describe(Step step) {
        return "`" + step.step() + "` (" + step.system() + ")";
    }

    private static String code(String value) {
        return "none".equals(value) ? value : "`" + value + "`";
    }

    private static void read(JsonNode routes, ValidatedFile file, List<Flow> flows, Map<String, JsonNode> routesByFrom) {
        for (JsonNode item : routes) {
            JsonNode templated = item.path("templatedRoute");
            if (ENTRY_TEMPLATE.equals(templated.path("routeTemplateRef").asText())) {
                Map<String, String> parameters = new LinkedHashMap<>();
                templated.path("parameters").forEach(p -> parameters.put(p.path("name").asText(), p.path("value").asText()));
                flows.add(new Flow(parameters.getOrDefault("flow", templated.path("routeId").asText()),
                        file.name().replaceFirst("^classpath:", "src/main/resources/"), description(file.text()),
                        parameters));
            }
            JsonNode from = item.path("route").path("from");
            if (from.path("uri").isTextual()) {
                routesByFrom.put(from.path("uri").asText(), from);
            }
        }
    }

    /** The file's first comment, up to its first YAML line. */
    static String description(String text) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                break;
            }
            lines.add(line.replaceFirst("^# ?", ""));
        }
        return String.join("\n", lines).trim();
    }

    /** The journaled steps of a route, in the order they are written (a step in two branches once). */
    private static List<Step> steps(JsonNode route) {
        Map<String, Step> steps = new LinkedHashMap<>();
        collect(route, steps);
        return List.copyOf(steps.values());
    }

    private static void collect(JsonNode node, Map<String, Step> steps) {
        if (node == null) {
            return;
        }
        JsonNode to = node.path("to");
        if (STEP.equals(to.path("uri").asText())) {
            JsonNode parameters = to.path("parameters");
            steps.putIfAbsent(parameters.path("step").asText(), new Step(parameters.path("step").asText(),
                    parameters.path("system").asText(), parameters.path("compensation").isTextual()
                    ? parameters.path("compensation").asText() : null));
        }
        node.forEach(child -> collect(child, steps));
    }

    private static String policy(JsonNode policies, String type) {
        JsonNode rules = policies == null ? null : policies.path("eventTypes").path(type);
        if (rules == null || rules.isMissingNode()) {
            return "no rules: every event is allowed";
        }
        List<String> parts = new ArrayList<>();
        for (String kind : List.of("deny", "requireApproval")) {
            rules.path(kind).forEach(rule -> parts.add(("deny".equals(kind) ? "denies" : "holds for approval")
                    + " `" + rule.path("rule").asText() + "` (" + rule.path("reason").asText() + ")"));
        }
        return parts.isEmpty() ? "no rules: every event is allowed" : String.join("; ", parts);
    }

    private static Map<String, Set<String>> sourcesByType(Properties properties) {
        Map<String, Set<String>> byType = new TreeMap<>();
        for (String source : properties.getProperty("hookrail.sources", "").split(",")) {
            String name = source.trim();
            if (name.isEmpty()) {
                continue;
            }
            for (String type : properties.getProperty("hookrail.source." + name + ".eventTypes", "").split(",")) {
                if (!type.isBlank()) {
                    byType.computeIfAbsent(type.trim(), t -> new LinkedHashSet<>()).add(name);
                }
            }
        }
        return byType;
    }

    private static java.util.Optional<YamlTree> tree(ValidatedFile file) {
        List<Problem> problems = new ArrayList<>();
        java.util.Optional<YamlTree> tree = YamlTree.parse(file, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).toString() + " (run validate)");
        }
        return tree;
    }

    private static void load(Properties properties, ValidatedFile file) {
        try {
            properties.load(new StringReader(file.text()));
        } catch (IOException e) {
            throw new UncheckedIOException(file.name(), e);
        }
    }
}

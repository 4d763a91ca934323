package io.hookrail.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a policy file into a {@link PolicyEngine}, or fails with every problem it finds, each at its line and column
 * ({@link PolicyFileException}). The YAML is read as a node tree, not bound to classes, so that every problem can
 * point at the place an integrator has to edit.
 * <pre>
 * version: 3                          # the policy's own version, an integer, recorded with every decision
 * eventTypes:
 *   refund.requested:
 *     deny:                           # checked first
 *       - rule: refund-exceeds-order  # a stable id: shown to approvers, written to the audit trail
 *         reason: A refund may not exceed its order
 *         amountAboveOrder: true
 *     requireApproval:
 *       - rule: refund-above-threshold
 *         reason: Refunds above 500.00 need a finance approval
 *         amountAbove: { EUR: 50000, USD: 50000 }   # minor units per ISO 4217 currency
 *   customer.deleted:
 *     requireApproval:
 *       - rule: customer-deletion-approval
 *         reason: Every GDPR deletion needs a person's approval
 *         always: true                # every event of the type
 * </pre>
 */
public final class PolicyFile {

    private static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,127}");
    private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9]*(\\.[a-z][a-zA-Z0-9]*)+");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");
    private static final Pattern INTEGER = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Set<String> CONDITIONS = Set.of("always", "amountAbove", "amountAboveOrder",
            "currencyDiffersFromOrder");

    private final String file;
    private final List<PolicyFileException.Problem> problems = new ArrayList<>();
    private final Set<String> ruleIds = new HashSet<>();

    private PolicyFile(String file) {
        this.file = file;
    }

    /**
     * @param file the file's name as problems should cite it
     * @param yaml its text
     * @return the engine of the policy
     * @throws PolicyFileException naming every problem of the file
     */
    public static PolicyEngine parse(String file, String yaml) {
        return new PolicyFile(file).read(yaml);
    }

    private PolicyEngine read(String yaml) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().or(e::getContextMark).orElse(null);
            throw new PolicyFileException(file, mark == null ? 1 : mark.getLine() + 1,
                    mark == null ? 1 : mark.getColumn() + 1, "not valid YAML: " + e.getProblem(), e);
        } catch (YamlEngineException e) {
            throw new PolicyFileException(file, 1, 1, "not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof MappingNode top)) {
            problem(root, "a policy file is a mapping with 'version' and 'eventTypes'");
            throw new PolicyFileException(file, problems);
        }
        // dataQuality is read by io.hookrail.quality.DataQualityFile from the same file
        Map<String, Node> fields = fields(top, Set.of("version", "eventTypes", "dataQuality"),
                Set.of("version", "eventTypes"));
        int version = fields.containsKey("version") ? version(fields.get("version")) : 0;
        Map<String, List<PolicyRule>> rules = new LinkedHashMap<>();
        if (fields.get("eventTypes") instanceof MappingNode types) {
            for (NodeTuple type : types.getValue()) {
                String name = scalar(type.getKeyNode(), "event type");
                if (name == null) {
                    continue;
                }
                if (!EVENT_TYPE.matcher(name).matches()) {
                    problem(type.getKeyNode(), "'" + name + "' is not an event type (like order.placed)");
                } else if (rules.containsKey(name)) {
                    problem(type.getKeyNode(), "event type '" + name + "' appears twice");
                }
                rules.put(name, eventType(type.getValueNode()));
            }
        } else if (fields.containsKey("eventTypes")) {
            problem(fields.get("eventTypes"), "eventTypes must map event types to their rules");
        }
        if (!problems.isEmpty()) {
            // in the order of the file, as an editor walks it: a missing key is found after the keys that are there
            problems.sort(Comparator.comparingInt(PolicyFileException.Problem::line)
                    .thenComparingInt(PolicyFileException.Problem::column));
            throw new PolicyFileException(file, problems);
        }
        return new PolicyEngine(file, version, rules);
    }

    private List<PolicyRule> eventType(Node node) {
        List<PolicyRule> rules = new ArrayList<>();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "an event type maps 'deny' and/or 'requireApproval' to lists of rules");
            return rules;
        }
        Map<String, Node> lists = fields(mapping, Set.of("deny", "requireApproval"), Set.of());
        lists.forEach((key, list) -> {
            PolicyDecision.Outcome outcome = key.equals("deny") ? PolicyDecision.Outcome.DENY
                    : PolicyDecision.Outcome.REQUIRE_APPROVAL;
            if (!(list instanceof SequenceNode sequence)) {
                problem(list, key + " must be a list of rules");
                return;
            }
            for (Node rule : sequence.getValue()) {
                PolicyRule read = rule(rule, outcome);
                if (read != null) {
                    rules.add(read);
                }
            }
        });
        return rules;
    }

    private PolicyRule rule(Node node, PolicyDecision.Outcome outcome) {
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "a rule is a mapping with 'rule', 'reason' and one condition");
            return null;
        }
        Set<String> allowed = new HashSet<>(CONDITIONS);
        allowed.addAll(Set.of("rule", "reason"));
        Map<String, Node> fields = fields(mapping, allowed, Set.of("rule", "reason"));
        String id = fields.containsKey("rule") ? scalar(fields.get("rule"), "rule") : null;
        if (id != null && !RULE_ID.matcher(id).matches()) {
            problem(fields.get("rule"), "rule id '" + id + "' must be lower-case letters, digits, '.' and '-'");
        } else if (id != null && !ruleIds.add(id)) {
            problem(fields.get("rule"), "rule id '" + id + "' is used twice");
        }
        String reason = fields.containsKey("reason") ? scalar(fields.get("reason"), "reason") : null;
        if (reason != null && reason.isBlank()) {
            problem(fields.get("reason"), "reason must say why, for the approver and the audit trail");
        }
        List<String> conditions = fields.keySet().stream().filter(CONDITIONS::contains).toList();
        if (conditions.size() != 1) {
            problem(node, "a rule needs exactly one condition of " + String.join(", ", CONDITIONS.stream().sorted().toList())
                    + (conditions.isEmpty() ? "" : "; it has " + String.join(", ", conditions)));
            return null;
        }
        Map<String, Long> thresholds = fields.containsKey("amountAbove") ? thresholds(fields.get("amountAbove")) : null;
        boolean aboveOrder = fields.containsKey("amountAboveOrder") && flag(fields.get("amountAboveOrder"));
        boolean otherCurrency = fields.containsKey("currencyDiffersFromOrder") && flag(fields.get("currencyDiffersFromOrder"));
        boolean always = fields.containsKey("always") && flag(fields.get("always"));
        return new PolicyRule(id, outcome, reason, thresholds, aboveOrder, otherCurrency, always);
    }

    private Map<String, Long> thresholds(Node node) {
        Map<String, Long> thresholds = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping) || mapping.getValue().isEmpty()) {
            problem(node, "amountAbove maps ISO 4217 currencies to thresholds in minor units, e.g. { EUR: 100000 }");
            return thresholds;
        }
        for (NodeTuple entry : mapping.getValue()) {
            String currency = scalar(entry.getKeyNode(), "currency");
            if (currency == null) {
                continue;
            }
            if (!CURRENCY.matcher(currency).matches()) {
                problem(entry.getKeyNode(), "'" + currency + "' is not an ISO 4217 currency code (three capital letters)");
            } else if (thresholds.containsKey(currency)) {
                problem(entry.getKeyNode(), "currency " + currency + " appears twice");
            }
            thresholds.put(currency, integer(entry.getValueNode(), "the threshold of " + currency));
        }
        return thresholds;
    }

    /** The mapping's fields by name; unknown, duplicate and missing ones are problems. */
    private Map<String, Node> fields(MappingNode mapping, Set<String> allowed, Set<String> required) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode(), "key");
            if (key == null) {
                continue;
            }
            if (!allowed.contains(key)) {
                problem(tuple.getKeyNode(), "unknown key '" + key + "'; expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()));
            } else if (fields.putIfAbsent(key, tuple.getValueNode()) != null) {
                problem(tuple.getKeyNode(), "'" + key + "' appears twice");
            }
        }
        required.stream().sorted().filter(key -> !fields.containsKey(key))
                .forEach(key -> problem(mapping, "'" + key + "' is missing"));
        return fields;
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, what + " must be a plain value");
        return null;
    }

    private int version(Node node) {
        String text = scalar(node, "version");
        if (text != null && !VERSION.matcher(text).matches()) {
            problem(node, "version must be a positive integer, not '" + text + "'");
            return 0;
        }
        return text == null ? 0 : Integer.parseInt(text);
    }

    private long integer(Node node, String what) {
        String text = scalar(node, what);
        if (text == null || !INTEGER.matcher(text).matches()) {
            if (text != null) {
                problem(node, what + " must be a whole number of minor units (0 or more), not '" + text + "'");
            }
            return -1;
        }
        return Long.parseLong(text);
    }

    private boolean flag(Node node) {
        String text = scalar(node, "the condition");
        if (!"true".equals(text)) {
            problem(node, "the condition must be 'true' (remove it to switch it off)");
        }
        return true;
    }

    private void problem(Node node, String text) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        problems.add(new PolicyFileException.Problem(mark == null ? 1 : mark.getLine() + 1,
                mark == null ? 1 : mark.getColumn() + 1, text));
    }
}

package io.hookrail.quality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import io.hookrail.policy.PolicyFileException;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the {@code dataQuality} section of the policy file into {@link DataQualityRules}, or fails with every
 * problem at its line and column ({@link PolicyFileException}, as {@link io.hookrail.policy.PolicyFile} does for the
 * rest of the file). The file itself (not YAML, its other sections) is PolicyFile's to judge.
 * <pre>
 * dataQuality:
 *   refund.requested:                 # an event type with a data contract
 *     required: [data.orderId, data.reason]      # present and not blank, beyond what the contract demands
 *     known: { data.orderId: order }  # the id names an order Hookrail has seen
 * </pre>
 */
public final class DataQualityFile {

    /** The section's key at the top of the policy file. */
    public static final String SECTION = "dataQuality";

    private static final Pattern FIELD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");
    private static final List<String> KINDS = List.of(DataQualityRule.Kind.REQUIRED.key(),
            DataQualityRule.Kind.KNOWN.key());

    private final String file;
    private final Predicate<String> hasSchema;
    private final List<PolicyFileException.Problem> problems = new ArrayList<>();

    private DataQualityFile(String file, Predicate<String> hasSchema) {
        this.file = file;
        this.hasSchema = hasSchema;
    }

    /**
     * @param file      the file's name as problems should cite it
     * @param yaml      its text
     * @param hasSchema whether an event type has a data contract
     * @return the rules; {@link DataQualityRules#NONE} when the file has no such section (or is no mapping)
     * @throws PolicyFileException naming every problem of the section
     */
    public static DataQualityRules parse(String file, String yaml, Predicate<String> hasSchema) {
        return new DataQualityFile(file, hasSchema).read(yaml);
    }

    private DataQualityRules read(String yaml) {
        Node root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(yaml).orElse(null);
        } catch (YamlEngineException e) {
            return DataQualityRules.NONE; // not YAML: PolicyFile reports it
        }
        Node section = root instanceof MappingNode top ? top.getValue().stream()
                .filter(tuple -> tuple.getKeyNode() instanceof ScalarNode key && SECTION.equals(key.getValue()))
                .map(NodeTuple::getValueNode).findFirst().orElse(null) : null;
        if (section == null) {
            return DataQualityRules.NONE;
        }
        Map<String, List<DataQualityRule>> rules = new LinkedHashMap<>();
        if (section instanceof MappingNode types) {
            for (NodeTuple type : types.getValue()) {
                String name = scalar(type.getKeyNode(), "event type");
                if (name == null) {
                    continue;
                }
                if (rules.containsKey(name)) {
                    problem(type.getKeyNode(), "event type '" + name + "' appears twice");
                } else if (!hasSchema.test(name)) {
                    problem(type.getKeyNode(), "event type '" + name + "' has no data contract"
                            + " (schemas/" + name + "/v1.json): its rules would never apply");
                }
                rules.put(name, eventType(type.getValueNode()));
            }
        } else {
            problem(section, SECTION + " maps event types to their rules: required and known");
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(PolicyFileException.Problem::line)
                    .thenComparingInt(PolicyFileException.Problem::column));
            throw new PolicyFileException(file, problems);
        }
        return new DataQualityRules(rules);
    }

    private List<DataQualityRule> eventType(Node node) {
        List<DataQualityRule> rules = new ArrayList<>();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, "an event type maps rule kinds (" + String.join(", ", KINDS) + ") to their fields");
            return rules;
        }
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String kind = scalar(tuple.getKeyNode(), "rule kind");
            if (kind == null) {
                continue;
            }
            if (!KINDS.contains(kind)) {
                problem(tuple.getKeyNode(), "unknown rule kind '" + kind + "'; expected one of "
                        + String.join(", ", KINDS));
            } else if (!seen.add(kind)) {
                problem(tuple.getKeyNode(), "'" + kind + "' appears twice");
            } else if (kind.equals(DataQualityRule.Kind.REQUIRED.key())) {
                required(tuple.getValueNode(), rules);
            } else {
                known(tuple.getValueNode(), rules);
            }
        }
        return rules;
    }

    private void required(Node node, List<DataQualityRule> rules) {
        if (!(node instanceof SequenceNode fields) || fields.getValue().isEmpty()) {
            problem(node, "required lists fields, e.g. [data.orderId, data.reason]");
            return;
        }
        for (Node field : fields.getValue()) {
            String path = field(field);
            if (path != null) {
                rules.add(new DataQualityRule(DataQualityRule.Kind.REQUIRED, path, null));
            }
        }
    }

    private void known(Node node, List<DataQualityRule> rules) {
        if (!(node instanceof MappingNode fields) || fields.getValue().isEmpty()) {
            problem(node, "known maps fields to what their id names, e.g. { data.orderId: order }");
            return;
        }
        for (NodeTuple tuple : fields.getValue()) {
            String path = field(tuple.getKeyNode());
            String entity = scalar(tuple.getValueNode(), "what the id names");
            if (entity != null && !KnownIds.ENTITIES.contains(entity)) {
                problem(tuple.getValueNode(), "'" + entity + "' is nothing Hookrail knows ids of; expected one of "
                        + String.join(", ", KnownIds.ENTITIES.stream().sorted().toList()));
            } else if (path != null && entity != null) {
                rules.add(new DataQualityRule(DataQualityRule.Kind.KNOWN, path, entity));
            }
        }
    }

    private String field(Node node) {
        String path = scalar(node, "a field");
        if (path != null && !FIELD.matcher(path).matches()) {
            problem(node, "'" + path + "' is not a field path of the CloudEvent, like data.orderId");
            return null;
        }
        return path;
    }

    private String scalar(Node node, String what) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problem(node, what + " must be a plain value");
        return null;
    }

    private void problem(Node node, String text) {
        Mark mark = node == null ? null : node.getStartMark().orElse(null);
        problems.add(new PolicyFileException.Problem(mark == null ? 1 : mark.getLine() + 1,
                mark == null ? 1 : mark.getColumn() + 1, text));
    }
}

package io.hookrail.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The journaled steps of a saga (a list of {@code kamelet:downstream-call-action} steps some of which declare
 * compensations): every step but the last has a compensation (the last one has nothing after it that can fail), and every
 * compensation names a route ({@code from: direct:...}) of the files.
 */
final class SagaCheck {

    private static final String STEP = "kamelet:downstream-call-action";

    private record Step(Node uri, Node compensation) {
    }

    private SagaCheck() {
    }

    static void check(List<YamlTree> routes, List<Problem> problems) {
        Set<String> entries = new HashSet<>();
        routes.forEach(tree -> entries(tree.root(), entries));
        for (YamlTree tree : routes) {
            sagas(tree, tree.root(), entries, problems);
        }
    }

    /** Each list of steps that runs compensated downstream steps one after another is a saga. */
    private static void sagas(YamlTree tree, Node node, Set<String> entries, List<Problem> problems) {
        if (node instanceof SequenceNode list) {
            List<Step> steps = new ArrayList<>();
            for (Node item : list.getValue()) {
                Node to = YamlTree.value(item, "to");
                Node uri = YamlTree.value(to, "uri");
                if (STEP.equals(YamlTree.text(uri))) {
                    steps.add(new Step(uri, YamlTree.value(YamlTree.value(to, "parameters"), "compensation")));
                }
                sagas(tree, item, entries, problems);
            }
            if (steps.stream().anyMatch(s -> s.compensation() != null)) {
                for (int i = 0; i < steps.size() - 1; i++) {
                    if (steps.get(i).compensation() == null) {
                        problems.add(Problem.at(tree.file(), steps.get(i).uri(), "saga step without a compensation"
                                + " (only the last step may have none)"));
                    }
                }
            }
            for (Step step : steps) {
                String compensation = YamlTree.text(step.compensation());
                if (compensation != null && !entries.contains(compensation)) {
                    problems.add(Problem.at(tree.file(), step.compensation(), "compensation '" + compensation
                            + "' is no route's 'from'"));
                }
            }
        } else if (node instanceof MappingNode mapping) {
            mapping.getValue().forEach(tuple -> sagas(tree, tuple.getValueNode(), entries, problems));
        }
    }

    /** Every {@code from} URI under a node. */
    private static void entries(Node node, Set<String> entries) {
        if (node instanceof SequenceNode list) {
            list.getValue().forEach(item -> entries(item, entries));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if ("from".equals(YamlTree.text(tuple.getKeyNode()))) {
                    String uri = YamlTree.text(YamlTree.value(tuple.getValueNode(), "uri"));
                    if (uri != null) {
                        entries.add(uri);
                    }
                }
                entries(tuple.getValueNode(), entries);
            }
        }
    }
}

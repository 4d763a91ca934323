package io.hookrail.validate;

import java.util.List;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Every flow (a {@code flow-entry} templated route) names its {@code owner} and a {@code riskTier} of low, medium or
 * high: the catalogue ({@code docs/flows.md}), the {@code hookrail_flow_info} metric and whoever is paged read them.
 */
final class OwnershipCheck {

    static final Set<String> RISK_TIERS = Set.of("low", "medium", "high");

    private OwnershipCheck() {
    }

    static void check(List<YamlTree> routes, List<Problem> problems) {
        for (YamlTree tree : routes) {
            if (!(tree.root() instanceof SequenceNode entries)) {
                continue;
            }
            for (Node entry : entries.getValue()) {
                Node templated = YamlTree.value(entry, "templatedRoute");
                if (templated == null || !"flow-entry".equals(YamlTree.text(YamlTree.value(templated, "routeTemplateRef")))) {
                    continue;
                }
                Node owner = parameter(templated, "owner");
                Node tier = parameter(templated, "riskTier");
                if (owner == null || YamlTree.text(owner) == null || YamlTree.text(owner).isBlank()) {
                    problems.add(Problem.at(tree.file(), templated, "flow without an owner (parameter 'owner':"
                            + " the team that answers for it)"));
                }
                if (tier == null) {
                    problems.add(Problem.at(tree.file(), templated, "flow without a risk tier (parameter"
                            + " 'riskTier': low, medium or high)"));
                } else if (!RISK_TIERS.contains(YamlTree.text(tier))) {
                    problems.add(Problem.at(tree.file(), tier, "riskTier '" + YamlTree.text(tier)
                            + "' is none of low, medium, high"));
                }
            }
        }
    }

    /** The value node of the templated route's parameter, or null. */
    private static Node parameter(Node templated, String name) {
        if (!(YamlTree.value(templated, "parameters") instanceof SequenceNode parameters)) {
            return null;
        }
        return parameters.getValue().stream()
                .filter(p -> name.equals(YamlTree.text(YamlTree.value(p, "name"))))
                .map(p -> YamlTree.value(p, "value")).findFirst().orElse(null);
    }
}

package io.hookrail.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Every route has an id (metrics, the timeline and JMX name routes by it; a generated {@code route7} changes when a
 * file is edited), and no id is used twice, across all the route files.
 */
final class RouteIdCheck {

    private RouteIdCheck() {
    }

    static void check(List<YamlTree> files, List<Problem> problems) {
        Map<String, Problem> seen = new HashMap<>();
        for (YamlTree tree : files) {
            if (!(tree.root() instanceof SequenceNode entries)) {
                continue;
            }
            for (Node entry : entries.getValue()) {
                Node route = YamlTree.value(entry, "route");
                Node templated = YamlTree.value(entry, "templatedRoute");
                if (route != null) {
                    id(tree, keyOf(entry), YamlTree.value(route, "id"), "route", seen, problems);
                } else if (templated != null) {
                    id(tree, keyOf(entry), YamlTree.value(templated, "routeId"), "templatedRoute", seen, problems);
                }
            }
        }
    }

    private static void id(YamlTree tree, Node place, Node idNode, String kind, Map<String, Problem> seen,
            List<Problem> problems) {
        String id = YamlTree.text(idNode);
        if (id == null || id.isBlank()) {
            problems.add(Problem.at(tree.file(), place, kind + " without an id"
                    + (kind.equals("route") ? " (add 'id:')" : " (add 'routeId:')")));
            return;
        }
        Problem here = Problem.at(tree.file(), idNode, "");
        Problem first = seen.putIfAbsent(id, here);
        if (first != null) {
            problems.add(Problem.at(tree.file(), idNode, "duplicate route id '" + id + "' (first at "
                    + first.file() + ":" + first.line() + ":" + first.column() + ")"));
        }
    }

    private static Node keyOf(Node entry) {
        return ((org.snakeyaml.engine.v2.nodes.MappingNode) entry).getValue().stream()
                .map(NodeTuple::getKeyNode).findFirst().orElse(entry);
    }
}

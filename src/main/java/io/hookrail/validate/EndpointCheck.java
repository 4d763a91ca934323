package io.hookrail.validate;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Every endpoint URI names a Camel component and only options it has, per Camel's catalog of the same version
 * ({@code camel-catalog}): a misspelt scheme or option otherwise fails only when the route starts.
 */
final class EndpointCheck {

    /** Keys whose value is an endpoint URI. */
    private static final Set<String> URI_KEYS = Set.of("uri", "deadLetterUri");
    /** Steps and options whose plain value is an endpoint URI ({@code - to: direct:x}). */
    private static final Set<String> SHORT_URI_KEYS = Set.of("to", "toD", "wireTap", "from", "compensation",
            "completion");

    /** Where each component on the classpath registers its scheme. */
    private static final String COMPONENTS = "META-INF/services/org/apache/camel/component/";

    private final CamelCatalog catalog = new DefaultCamelCatalog(true);
    private final Set<String> components = Set.copyOf(catalog.findComponentNames());
    /** The parameters of each Kamelet ({@code spec.definition.properties}), by name. */
    private final Map<String, Set<String>> kamelets;

    EndpointCheck(Map<String, Set<String>> kamelets) {
        this.kamelets = kamelets;
    }

    /** The Kamelet's name and parameters, if the tree is a Kamelet. */
    static Map.Entry<String, Set<String>> kamelet(YamlTree tree) {
        String name = YamlTree.text(YamlTree.value(YamlTree.value(tree.root(), "metadata"), "name"));
        Node properties = YamlTree.value(YamlTree.value(YamlTree.value(tree.root(), "spec"), "definition"),
                "properties");
        if (name == null) {
            return null;
        }
        Set<String> parameters = new HashSet<>();
        if (properties instanceof MappingNode mapping) {
            mapping.getValue().forEach(t -> parameters.add(YamlTree.text(t.getKeyNode())));
        }
        return Map.entry(name, parameters);
    }

    void check(YamlTree tree, List<Problem> problems) {
        walk(tree, tree.root(), problems);
    }

    private void walk(YamlTree tree, Node node, List<Problem> problems) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(item -> walk(tree, item, problems));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = YamlTree.text(tuple.getKeyNode());
                if (tuple.getValueNode() instanceof ScalarNode value
                        && (URI_KEYS.contains(key) || SHORT_URI_KEYS.contains(key))) {
                    uri(tree, value, "uri".equals(key) ? YamlTree.value(mapping, "parameters") : null, problems);
                } else {
                    walk(tree, tuple.getValueNode(), problems);
                }
            }
        }
    }

    /** The URI with its {@code parameters:} mapping (the YAML DSL's form of the query string) appended. */
    private void uri(YamlTree tree, ScalarNode node, Node parameters, List<Problem> problems) {
        StringBuilder uri = new StringBuilder(node.getValue());
        if (parameters instanceof MappingNode options) {
            for (NodeTuple option : options.getValue()) {
                String value = YamlTree.text(option.getValueNode());
                uri.append(uri.indexOf("?") < 0 ? '?' : '&').append(YamlTree.text(option.getKeyNode())).append('=')
                        .append(value == null ? "" : value);
            }
        }
        check(tree, node, uri.toString(), problems);
    }

    private void check(YamlTree tree, ScalarNode node, String uri, List<Problem> problems) {
        int colon = uri.indexOf(':');
        String scheme = colon < 0 ? uri : uri.substring(0, colon);
        if (scheme.contains("{{") || scheme.contains("${")) {
            return; // chosen at run time
        }
        if (scheme.equals("master") && uri.indexOf(':', colon + 1) > 0) {
            // master:<namespace>:<endpoint>: the options after '?' are the delegate endpoint's (camel-master)
            check(tree, node, uri.substring(uri.indexOf(':', colon + 1) + 1), problems);
            return;
        }
        if (!components.contains(scheme)) {
            problems.add(Problem.at(tree.file(), node, "unknown endpoint '" + uri + "': no Camel component '"
                    + scheme + "'"));
            return;
        }
        if (EndpointCheck.class.getClassLoader().getResource(COMPONENTS + scheme) == null) {
            problems.add(Problem.at(tree.file(), node, "endpoint '" + uri + "': component '" + scheme
                    + "' is not in Hookrail (add camel-" + scheme + " to the pom)"));
            return;
        }
        Set<String> parameters = Set.of();
        if (scheme.equals("kamelet")) {
            // a Kamelet's options are its parameters, which the catalog does not know
            String name = uri.substring(colon + 1).split("[?/]", 2)[0];
            if (name.equals("source") || name.equals("sink")) {
                return; // a Kamelet's own ends
            }
            if (!kamelets.containsKey(name)) {
                problems.add(Problem.at(tree.file(), node, "unknown Kamelet '" + name + "' in '" + uri + "'"));
                return;
            }
            parameters = kamelets.get(name);
        }
        EndpointValidationResult result = catalog.validateEndpointProperties(uri, true);
        if (result.getUnknown() != null) {
            Set<String> known = parameters;
            result.getUnknown().stream().filter(option -> !known.contains(option)).sorted()
                    .forEach(option -> problems.add(Problem.at(tree.file(), node,
                            "unknown option '" + option + "' of endpoint '" + uri + "'")));
        }
        if (result.getInvalidEnum() != null) {
            result.getInvalidEnum().forEach((option, value) -> problems.add(Problem.at(tree.file(), node,
                    "invalid value '" + value + "' of option '" + option + "' of endpoint '" + uri + "'")));
        }
    }
}

package io.hookrail.validate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The event types of {@code application.properties} ({@code hookrail.source.<name>.eventTypes}) each have a data
 * contract ({@code schemas/<type>/v1.json}), and every event type a flow consumes (the {@code eventType} of its
 * {@code flow-entry}) has a source: otherwise the gateway refuses to start, or the flow never runs.
 */
final class SourcesCheck {

    private static final Pattern EVENT_TYPES = Pattern.compile("^\\s*(hookrail\\.source\\.[^.\\s]+\\.eventTypes)\\s*[=:]\\s*(.*)$");

    private SourcesCheck() {
    }

    static void check(ValidatedFile properties, List<ValidatedFile> files, List<YamlTree> routes,
            List<Problem> problems) {
        Set<String> contracts = files.stream().filter(ValidatedFile::isSchema)
                .map(f -> f.name().replace('\\', '/'))
                .map(name -> name.substring(name.lastIndexOf("schemas/") + "schemas/".length()))
                .filter(name -> name.indexOf('/') > 0)
                .map(name -> name.substring(0, name.indexOf('/')))
                .collect(Collectors.toSet());
        Map<String, String> sourced = new LinkedHashMap<>();
        String[] lines = properties.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = EVENT_TYPES.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            int column = m.start(2);
            for (String type : m.group(2).split(",", -1)) {
                String name = type.strip();
                if (!name.isEmpty()) {
                    sourced.putIfAbsent(name, m.group(1));
                    if (!contracts.contains(name)) {
                        problems.add(new Problem(properties.name(), i + 1, column + 1 + type.indexOf(name),
                                "event type '" + name + "' has no data contract (schemas/" + name + "/v1.json)"));
                    }
                }
                column += type.length() + 1;
            }
        }
        for (YamlTree tree : routes) {
            if (!(tree.root() instanceof SequenceNode entries)) {
                continue;
            }
            for (Node entry : entries.getValue()) {
                Node parameters = YamlTree.value(YamlTree.value(entry, "templatedRoute"), "parameters");
                if (!(parameters instanceof SequenceNode list)) {
                    continue;
                }
                for (Node parameter : list.getValue()) {
                    Node value = YamlTree.value(parameter, "value");
                    String type = YamlTree.text(value);
                    if ("eventType".equals(YamlTree.text(YamlTree.value(parameter, "name"))) && type != null
                            && !sourced.containsKey(type)) {
                        problems.add(Problem.at(tree.file(), value, "event type '" + type
                                + "' has no webhook source (hookrail.source.<name>.eventTypes in "
                                + properties.name() + ")"));
                    }
                }
            }
        }
    }
}

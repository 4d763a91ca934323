package io.hookrail.validate;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML (or JSON) file read as SnakeYAML's node tree, which keeps every node's line and column, so that a problem
 * found in its JSON form (a JSON Schema error names a JSON pointer) can be shown where the file has to be edited.
 */
public final class YamlTree {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String file;
    private final Node root;

    private YamlTree(String file, Node root) {
        this.file = file;
        this.root = root;
    }

    /** The file's tree; a file that is not YAML is a problem at the place the parser gave up. */
    public static Optional<YamlTree> parse(ValidatedFile source, List<Problem> problems) {
        try {
            Node root = new Compose(LoadSettings.builder().setLabel(source.name()).build())
                    .composeString(source.text()).orElse(null);
            return Optional.of(new YamlTree(source.name(), root));
        } catch (MarkedYamlEngineException e) {
            problems.add(Problem.at(source.name(), e.getProblemMark().or(e::getContextMark).orElse(null),
                    "not valid YAML: " + e.getProblem()));
        } catch (YamlEngineException e) {
            problems.add(new Problem(source.name(), 1, 1, "not valid YAML: " + e.getMessage()));
        }
        return Optional.empty();
    }

    public String file() {
        return file;
    }

    /** The document's root node, or null for an empty file. */
    public Node root() {
        return root;
    }

    /** The tree as JSON: plain scalars typed by YAML's JSON schema, quoted ones strings. */
    public JsonNode json() {
        return json(root);
    }

    /** The deepest node on a JSON pointer ({@code /0/route/from}) that exists; the root for an empty pointer. */
    public Node nodeAt(String pointer) {
        Node node = root;
        for (String segment : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/")) {
            String key = segment.replace("~1", "/").replace("~0", "~");
            Node next = child(node, key);
            if (next == null) {
                return node;
            }
            node = next;
        }
        return node;
    }

    private static Node child(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return tuple.getValueNode();
                }
            }
        } else if (node instanceof SequenceNode sequence && key.matches("\\d{1,9}")) {
            int index = Integer.parseInt(key);
            return index < sequence.getValue().size() ? sequence.getValue().get(index) : null;
        }
        return null;
    }

    /** The value of a mapping's key, or null. */
    public static Node value(Node mapping, String key) {
        return mapping instanceof MappingNode ? child(mapping, key) : null;
    }

    /** A scalar's text, or null for any other node. */
    public static String text(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    private static JsonNode json(Node node) {
        if (node == null) {
            return JSON.nullNode();
        }
        if (node instanceof MappingNode mapping) {
            ObjectNode object = JSON.objectNode();
            mapping.getValue().forEach(t -> object.set(String.valueOf(text(t.getKeyNode())), json(t.getValueNode())));
            return object;
        }
        if (node instanceof SequenceNode sequence) {
            ArrayNode array = JSON.arrayNode();
            sequence.getValue().forEach(item -> array.add(json(item)));
            return array;
        }
        ScalarNode scalar = (ScalarNode) node;
        String value = scalar.getValue();
        Tag tag = scalar.getTag();
        try {
            if (Tag.INT.equals(tag)) {
                return JSON.numberNode(new BigInteger(value));
            }
            if (Tag.FLOAT.equals(tag)) {
                return JSON.numberNode(new BigDecimal(value));
            }
        } catch (NumberFormatException e) {
            return JSON.textNode(value);
        }
        if (Tag.BOOL.equals(tag)) {
            return JSON.booleanNode(Boolean.parseBoolean(value));
        }
        if (Tag.NULL.equals(tag)) {
            return JSON.nullNode();
        }
        return JSON.textNode(value);
    }
}

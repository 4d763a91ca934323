package io.hookrail.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the personal data of each event type is: the fields its JSON Schemas ({@code schemas/<type>/v<N>.json}) mark
 * {@value #MARK}{@code : "personal"}, as paths into the event's {@code data} ({@code /customer/email}; an array's
 * items are {@code *}: {@code /contacts/* /email}). This one marking drives log masking, encryption at rest and
 * retention.
 */
public final class PersonalFields {

    /** The schema keyword of a field's data classification. */
    public static final String MARK = "x-classification";
    public static final String PERSONAL = "personal";
    private static final String SCHEMAS = "schemas";
    private static final String VERSION = "v1.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, List<List<String>>> pathsByType;

    private PersonalFields(Map<String, List<List<String>>> pathsByType) {
        this.pathsByType = pathsByType;
    }

    /** The markings of these event types' schemas, of every major ({@code v1.json}, {@code v2.json}...) together. */
    public static PersonalFields load(Collection<String> eventTypes) {
        Map<String, List<List<String>>> paths = new LinkedHashMap<>();
        for (String type : eventTypes) {
            List<List<String>> found = new ArrayList<>();
            for (int major = 1; ; major++) {
                String resource = SCHEMAS + "/" + type + "/v" + major + ".json";
                try (InputStream in = PersonalFields.class.getClassLoader().getResourceAsStream(resource)) {
                    if (in == null) {
                        if (major == 1) {
                            throw new IllegalArgumentException("event type " + type + " has no schema at classpath:"
                                    + resource);
                        }
                        break;
                    }
                    List<List<String>> ofMajor = new ArrayList<>();
                    collect(MAPPER.readTree(in), new ArrayList<>(), ofMajor);
                    ofMajor.stream().filter(path -> !found.contains(path)).forEach(found::add);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read classpath:" + resource, e);
                }
            }
            paths.put(type, List.copyOf(found));
        }
        return new PersonalFields(paths);
    }

    /** The markings of every schema on the classpath (a folder or a jar). */
    public static PersonalFields discover() {
        Set<String> types = new TreeSet<>();
        try {
            var roots = PersonalFields.class.getClassLoader().getResources(SCHEMAS);
            while (roots.hasMoreElements()) {
                URL root = roots.nextElement();
                if ("file".equals(root.getProtocol())) {
                    try (Stream<Path> dirs = Files.list(Path.of(root.toURI()))) {
                        dirs.filter(dir -> Files.exists(dir.resolve(VERSION)))
                                .forEach(dir -> types.add(dir.getFileName().toString()));
                    }
                } else if ("jar".equals(root.getProtocol())) {
                    try (JarFile jar = ((JarURLConnection) root.openConnection()).getJarFile()) {
                        for (Iterator<JarEntry> it = jar.entries().asIterator(); it.hasNext(); ) {
                            String[] parts = it.next().getName().split("/");
                            if (parts.length == 3 && parts[0].equals(SCHEMAS) && parts[2].equals(VERSION)) {
                                types.add(parts[1]);
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the schemas on the classpath", e);
        }
        return load(types);
    }

    /** The personal paths of an event type (none for a type without a schema here). */
    public List<String> paths(String eventType) {
        return pathsByType.getOrDefault(eventType, List.of()).stream().map(path -> "/" + String.join("/", path)).toList();
    }

    /** The names of every personal field (the last segment of each path), for log masking. */
    public Set<String> fieldNames() {
        Set<String> names = new TreeSet<>();
        pathsByType.values().forEach(paths -> paths.forEach(path -> names.add(path.get(path.size() - 1))));
        return names;
    }

    /**
     * Replaces, in place, every personal value of an event's data by {@code change.apply(context, value)}; the
     * context is {@code <type>/<path>} ({@code order.placed/customer/email}).
     */
    public void rewrite(String eventType, JsonNode data, ValueChange change) {
        for (List<String> path : pathsByType.getOrDefault(eventType, List.of())) {
            String context = eventType + "/" + String.join("/", path);
            rewrite(data, path, 0, node -> change.apply(context, node));
        }
    }

    /** A change of one personal value. */
    @FunctionalInterface
    public interface ValueChange {
        JsonNode apply(String context, JsonNode value);
    }

    private static void rewrite(JsonNode node, List<String> path, int at, UnaryOperator<JsonNode> change) {
        String segment = path.get(at);
        boolean last = at == path.size() - 1;
        if ("*".equals(segment)) {
            if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    if (last) {
                        array.set(i, change.apply(array.get(i)));
                    } else {
                        rewrite(array.get(i), path, at + 1, change);
                    }
                }
            }
        } else if (node instanceof ObjectNode object && object.has(segment)) {
            if (last) {
                if (!object.get(segment).isNull()) {
                    object.set(segment, change.apply(object.get(segment)));
                }
            } else {
                rewrite(object.get(segment), path, at + 1, change);
            }
        }
    }

    private static void collect(JsonNode schema, List<String> at, List<List<String>> found) {
        if (!at.isEmpty() && PERSONAL.equals(schema.path(MARK).asText())) {
            found.add(List.copyOf(at));
            return; // the whole value is personal, nested fields included
        }
        schema.path("properties").fields().forEachRemaining(property -> {
            List<String> next = new ArrayList<>(at);
            next.add(property.getKey());
            collect(property.getValue(), next, found);
        });
        if (schema.path("items").isObject()) {
            List<String> next = new ArrayList<>(at);
            next.add("*");
            collect(schema.get("items"), next, found);
        }
    }
}

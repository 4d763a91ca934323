package io.hookrail.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hookrail.privacy.PersonalFields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opt-in recorder of real incoming events as new examples ({@code hookrail.recorder.dir}): each accepted
 * event's CloudEvent is written to {@code <dir>/<source>-<type>-<id>.json}, at most
 * {@code hookrail.recorder.maxPerType} per type, with every field its schema classifies as personal replaced by a
 * placeholder of the same shape (letters become {@code x}/{@code X}, digits {@code 0}, numbers {@code 0}), so the
 * example still follows its contract's lengths and patterns. The redacted event is validated against the contract
 * it was accepted under; one that no longer is valid is skipped (and logged), never written half-redacted.
 */
public final class EventRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private final Path directory;
    private final int maxPerType;
    private final EventContracts contracts;
    private final PersonalFields personalFields;
    private final Map<String, AtomicInteger> recorded = new ConcurrentHashMap<>();

    public EventRecorder(Path directory, int maxPerType, EventContracts contracts, PersonalFields personalFields) {
        this.directory = directory;
        this.maxPerType = maxPerType;
        this.contracts = contracts;
        this.personalFields = personalFields;
    }

    /** Records one accepted CloudEvent (plaintext JSON); never throws, the event is accepted already. */
    public void record(String cloudEvent) {
        try {
            ObjectNode event = (ObjectNode) JsonMapping.MAPPER.readTree(cloudEvent);
            String type = event.get("type").asText();
            String source = event.get("source").asText().replaceFirst("^/webhooks/", "");
            Path file = directory.resolve(safe(source) + "-" + safe(type) + "-" + safe(event.get("id").asText()) + ".json");
            if (Files.exists(file)) {
                return;
            }
            if (recorded.computeIfAbsent(type, this::alreadyRecorded).incrementAndGet() > maxPerType) {
                return;
            }
            event.remove("correlationid"); // a trace of one delivery, not part of the example
            personalFields.rewrite(type, event.get("data"), (context, value) -> redact(value));
            int major = EventContracts.major(type, event.path("dataschema").asText(null));
            List<WebhookRejection.Violation> violations = contracts.violations(type, major, event.get("data"));
            if (!violations.isEmpty()) {
                LOG.warn("Not recording {} event {}: redacted, it violates its contract {}", type,
                        event.get("id").asText(), violations);
                return;
            }
            Files.createDirectories(directory);
            Files.writeString(file, JsonMapping.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(event) + "\n",
                    StandardOpenOption.CREATE_NEW);
            LOG.info("Recorded {} event {} as example {}", type, event.get("id").asText(), file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not record an accepted event as example: {}", e.toString());
        }
    }

    /** The placeholder of a personal value: the same shape, none of its content. */
    static JsonNode redact(JsonNode value) {
        if (value.isTextual()) {
            StringBuilder masked = new StringBuilder();
            value.asText().codePoints().forEach(c -> masked.appendCodePoint(Character.isLetter(c)
                    ? (Character.isUpperCase(c) ? 'X' : 'x') : Character.isDigit(c) ? '0' : c));
            return TextNode.valueOf(masked.toString());
        }
        if (value.isNumber()) {
            return IntNode.valueOf(0);
        }
        if (value instanceof ObjectNode object) {
            ObjectNode copy = object.objectNode();
            object.fields().forEachRemaining(field -> copy.set(field.getKey(), redact(field.getValue())));
            return copy;
        }
        if (value instanceof ArrayNode array) {
            ArrayNode copy = array.arrayNode();
            array.forEach(item -> copy.add(redact(item)));
            return copy;
        }
        return value;
    }

    private AtomicInteger alreadyRecorded(String type) {
        if (!Files.isDirectory(directory)) {
            return new AtomicInteger();
        }
        String marker = "-" + safe(type) + "-";
        try (Stream<Path> files = Files.list(directory)) {
            return new AtomicInteger((int) files.filter(f -> f.getFileName().toString().contains(marker)).count());
        } catch (IOException e) {
            return new AtomicInteger();
        }
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

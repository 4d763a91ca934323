package io.hookrail.ingest;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ingest.signature.Delivery;
import io.hookrail.ingest.signature.GitHubScheme;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.ingest.signature.StripeScheme;

/**
 * Where each sender family puts the event id, type, time and data: the shapes differ, the {@link IncomingEvent}
 * they yield does not.
 */
public enum EventEnvelope {

    /**
     * Standard Webhooks: id in {@code webhook-id}, body {@code {"type", "timestamp", "data"}} and optionally
     * {@code "dataschema"} (signed with the body), the contract version the data follows.
     */
    STANDARD_WEBHOOKS {
        @Override
        IncomingEvent read(Delivery delivery, JsonNode body, Instant receivedAt) throws WebhookRejection {
            List<WebhookRejection.Violation> problems = new ArrayList<>();
            // exactly the value that was signed: refused when not canonical, never trimmed
            String id = EventIds.require(delivery.header(StandardWebhooksScheme.ID_HEADER),
                    "header " + StandardWebhooksScheme.ID_HEADER);
            String type = text(body, "type", "/type", problems);
            JsonNode data = object(body.get("data"), "/data", problems);
            String time = rfc3339(body.path("timestamp").asText(), receivedAt);
            JsonNode schema = body.get("dataschema");
            if (schema != null && !schema.isTextual()) {
                problems.add(new WebhookRejection.Violation("/dataschema", "a string such as urn:hookrail:schema:"
                        + "<type>:v2"));
            }
            return complete(id, type, time, data, "/data", problems).withDataschema(schema == null ? null : schema.asText());
        }
    },

    /** Stripe: body {@code {"id", "type", "created", "data": {"object"}}}. */
    STRIPE {
        @Override
        IncomingEvent read(Delivery delivery, JsonNode body, Instant receivedAt) throws WebhookRejection {
            List<WebhookRejection.Violation> problems = new ArrayList<>();
            JsonNode idNode = body.get("id");
            String id = idNode != null && idNode.isTextual() ? EventIds.require(idNode.asText(), "/id")
                    : text(body, "id", "/id", problems);
            String type = text(body, "type", "/type", problems);
            JsonNode data = object(body.path("data").get("object"), "/data/object", problems);
            String time = body.path("created").canConvertToLong()
                    ? Instant.ofEpochSecond(body.get("created").asLong()).toString() : receivedAt.toString();
            return complete(id, type, time, data, "/data/object", problems);
        }
    },

    /**
     * GitHub: the whole body is the data, the type is in {@code X-GitHub-Event}. GitHub signs neither an id nor a
     * timestamp, so the id is the hash of the signed body ({@link EventIds#ofBody}), not the unsigned
     * {@code X-GitHub-Delivery}; and the type header is unsigned too, so a GitHub source allows exactly one type.
     */
    GITHUB {
        @Override
        IncomingEvent read(Delivery delivery, JsonNode body, Instant receivedAt) throws WebhookRejection {
            List<WebhookRejection.Violation> problems = new ArrayList<>();
            JsonNode data = object(body, "", problems);
            String id = EventIds.ofBody(delivery.body());
            String type = header(delivery, GitHubScheme.EVENT_HEADER, problems);
            return complete(id, type, receivedAt.toString(), data, "", problems);
        }
    };

    /** Longest id or type the door's deduplication table holds. */
    static final int MAX_ID_LENGTH = 255;

    abstract IncomingEvent read(Delivery delivery, JsonNode body, Instant receivedAt) throws WebhookRejection;

    public static EventEnvelope forScheme(String schemeName) {
        return switch (schemeName) {
            case StripeScheme.NAME -> STRIPE;
            case GitHubScheme.NAME -> GITHUB;
            default -> STANDARD_WEBHOOKS;
        };
    }

    /** The sender's time when it is RFC 3339 (as CloudEvents requires), else the time of receipt. */
    private static String rfc3339(String time, Instant receivedAt) {
        try {
            return OffsetDateTime.parse(time).toInstant().toString();
        } catch (DateTimeParseException e) {
            return receivedAt.toString();
        }
    }

    private static String text(JsonNode body, String field, String pointer, List<WebhookRejection.Violation> problems) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank() || node.asText().length() > MAX_ID_LENGTH) {
            problems.add(new WebhookRejection.Violation(pointer, "required string of 1 to " + MAX_ID_LENGTH + " characters"));
            return null;
        }
        return node.asText();
    }

    private static String header(Delivery delivery, String name, List<WebhookRejection.Violation> problems) {
        String value = delivery.header(name);
        if (value == null || value.isBlank() || value.length() > MAX_ID_LENGTH) {
            problems.add(new WebhookRejection.Violation("", "header " + name + " must hold 1 to " + MAX_ID_LENGTH
                    + " characters"));
        }
        return value;
    }

    private static JsonNode object(JsonNode node, String pointer, List<WebhookRejection.Violation> problems) {
        if (node == null || !node.isObject()) {
            problems.add(new WebhookRejection.Violation(pointer, "required JSON object"));
        }
        return node;
    }

    private static IncomingEvent complete(String id, String type, String time, JsonNode data, String dataPointer,
                                          List<WebhookRejection.Violation> problems) throws WebhookRejection {
        if (!problems.isEmpty()) {
            throw WebhookRejection.malformed("The body is not an event in this source's envelope", problems);
        }
        return new IncomingEvent(id, type, time, data, dataPointer);
    }
}

package io.hookrail.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event as read from a verified delivery, before normalisation.
 *
 * @param id          the sender's event id: the door's deduplication key
 * @param type        the event type, e.g. {@code order.placed}
 * @param time        when the event happened (RFC 3339)
 * @param data        the business payload that the type's data contract describes
 * @param dataPointer where {@code data} sits in the sender's body, so contract violations point into what was sent
 */
public record IncomingEvent(String id, String type, String time, JsonNode data, String dataPointer) {
}

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
 * @param dataschema  the contract the sender declares ({@code urn:hookrail:schema:order.placed:v2}), null for none
 *                    (v1); once {@link EventContracts#resolve resolved}, the one it is validated against
 */
public record IncomingEvent(String id, String type, String time, JsonNode data, String dataPointer,
                            String dataschema) {

    public IncomingEvent(String id, String type, String time, JsonNode data, String dataPointer) {
        this(id, type, time, data, dataPointer, null);
    }

    public IncomingEvent withDataschema(String schema) {
        return new IncomingEvent(id, type, time, data, dataPointer, schema);
    }
}

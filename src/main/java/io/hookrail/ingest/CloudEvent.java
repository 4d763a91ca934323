package io.hookrail.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An accepted event in its normalised form: a CloudEvents 1.0 JSON message, whatever the sender's envelope was.
 *
 * @param json the structured-mode CloudEvent, whose {@code dataschema} names the contract its data was validated against, with the correlation id as extension attribute {@code correlationid}
 */
public record CloudEvent(String id, String source, String type, String correlationId, String json) {

    public static final String SPEC_VERSION = "1.0";

    public static CloudEvent of(IncomingEvent event, String sourceName, String correlationId) {
        return of(event, sourceName, correlationId, "/webhooks/" + sourceName);
    }

    /** @param source the CloudEvent's {@code source} attribute, e.g. {@code /poll/erp-invoices} for a polled item */
    public static CloudEvent of(IncomingEvent event, String sourceName, String correlationId, String source) {
        ObjectNode json = JsonMapping.MAPPER.createObjectNode()
                .put("specversion", SPEC_VERSION)
                .put("id", event.id())
                .put("source", source)
                .put("type", event.type())
                .put("time", event.time())
                .put("datacontenttype", "application/json")
                .put("dataschema", event.dataschema() != null ? event.dataschema()
                        : EventContracts.schemaUri(event.type(), EventContracts.DEFAULT_MAJOR))
                .put("correlationid", correlationId);
        json.set("data", event.data());
        return new CloudEvent(event.id(), sourceName, event.type(), correlationId, json.toString());
    }
}

package io.hookrail.ingest;

import java.util.Map;

/**
 * An accepted event as it goes on the broker.
 *
 * @param event        the CloudEvent, its personal fields already encrypted (the broker's store holds ciphertext)
 * @param groupId      the message group ({@code JMSXGroupID}): the event's business id, so one entity's events are
 *                     consumed in order; null when its type names none
 * @param traceContext the W3C trace context ({@code traceparent}, {@code tracestate}) of the delivery's span, taken
 *                     on its HTTP thread, for the message's properties: the flow's run continues the webhook's
 *                     trace; empty when tracing is off
 */
public record OutgoingEvent(CloudEvent event, String groupId, Map<String, String> traceContext) {
}

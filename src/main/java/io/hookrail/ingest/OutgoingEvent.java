package io.hookrail.ingest;

/**
 * An accepted event as it goes on the broker.
 *
 * @param event   the CloudEvent, its personal fields already encrypted (the broker's store holds ciphertext)
 * @param groupId the message group ({@code JMSXGroupID}): the event's business id, so one entity's events are
 *                consumed in order; null when its type names none
 */
public record OutgoingEvent(CloudEvent event, String groupId) {
}

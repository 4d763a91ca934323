package io.hookrail.ingest;

import io.hookrail.privacy.PersonalData;

/**
 * Encrypts the personal fields of an event before it goes on the broker, so the broker's store holds ciphertext; the
 * flows decrypt at their entry ({@code FlowEntry}). The event seal then covers the body as sent, encrypted.
 */
public final class EncryptingEventPublisher implements EventPublisher {

    private final EventPublisher publisher;
    private final PersonalData personalData;

    public EncryptingEventPublisher(EventPublisher publisher, PersonalData personalData) {
        this.publisher = publisher;
        this.personalData = personalData;
    }

    @Override
    public void publish(CloudEvent event) throws Exception {
        publisher.publish(new CloudEvent(event.id(), event.source(), event.type(), event.correlationId(),
                personalData.encryptEvent(event.json())));
    }
}

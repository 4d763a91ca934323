package io.hookrail.ingest;

import java.util.List;
import java.util.Set;

import io.hookrail.ingest.signature.SignatureScheme;

/**
 * A configured sender of webhooks: how it signs, the secrets currently active for it (two during a rotation), and
 * the event types it may send.
 */
public record WebhookSource(String name, SignatureScheme scheme, List<String> secrets, Set<String> eventTypes) {

    public WebhookSource {
        secrets.forEach(scheme::checkSecret);
        secrets = List.copyOf(secrets);
        eventTypes = Set.copyOf(eventTypes);
    }

    public boolean allows(String eventType) {
        return eventTypes.contains(eventType);
    }

    @Override
    public String toString() {
        // never print the secrets
        return "WebhookSource[" + name + ", " + scheme.name() + ", " + eventTypes + "]";
    }
}

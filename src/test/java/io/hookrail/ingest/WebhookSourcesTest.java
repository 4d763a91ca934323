package io.hookrail.ingest;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSourcesTest {

    private final Map<String, String> properties = new HashMap<>(Map.of(
            "hookrail.sources", "shop, payments",
            "hookrail.source.shop.scheme", "standard-webhooks",
            "hookrail.source.shop.secret", "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb",
            "hookrail.source.shop.eventTypes", "order.placed",
            "hookrail.source.payments.scheme", "stripe",
            "hookrail.source.payments.secret", "whsec_fe78c9c78ba6508d3c615b247ff10163",
            "hookrail.source.payments.secondarySecret", "whsec_rotated",
            "hookrail.source.payments.eventTypes", "invoice.paid, refund.requested"));

    @Test
    void sourcesAreReadWithTheirSchemeSecretsAndTypes() {
        WebhookSources sources = WebhookSources.fromProperties(properties::get);
        WebhookSource payments = sources.find("payments").orElseThrow();
        assertEquals("stripe", payments.scheme().name());
        assertEquals(List.of("whsec_fe78c9c78ba6508d3c615b247ff10163", "whsec_rotated"), payments.secrets());
        assertEquals(Set.of("invoice.paid", "refund.requested"), payments.eventTypes());
        assertEquals(1, sources.find("shop").orElseThrow().secrets().size());
        assertTrue(sources.find("crm").isEmpty());
    }

    @Test
    void missingSecretStopsStartupNamingTheKey() {
        properties.remove("hookrail.source.shop.secret");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSources.fromProperties(properties::get));
        assertEquals("hookrail.source.shop.secret is not set", e.getMessage());
    }

    @Test
    void malformedStandardWebhooksSecretStopsStartup() {
        properties.put("hookrail.source.shop.secret", "whsec_not base64!");
        assertThrows(IllegalArgumentException.class, () -> WebhookSources.fromProperties(properties::get));
    }

    @Test
    void unknownSchemeStopsStartup() {
        properties.put("hookrail.source.shop.scheme", "hmac-md5");
        assertThrows(IllegalArgumentException.class, () -> WebhookSources.fromProperties(properties::get));
    }

    @Test
    void toStringNeverShowsSecrets() {
        String text = WebhookSources.fromProperties(properties::get).all().toString();
        assertTrue(!text.contains("whsec_"), text);
    }

    @Test
    void aGitHubSourceWithMoreThanOneEventTypeStopsStartupSayingWhy() {
        properties.put("hookrail.sources", "forge");
        properties.put("hookrail.source.forge.scheme", "github");
        properties.put("hookrail.source.forge.secret", "a forge secret");
        properties.put("hookrail.source.forge.eventTypes", "lead.qualified, order.placed");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebhookSources.fromProperties(properties::get));
        assertEquals("hookrail.source.forge.eventTypes must name exactly one event type for a github source (GitHub "
                + "signs neither the event type nor an id), names 2: lead.qualified, order.placed", e.getMessage());

        properties.put("hookrail.source.forge.eventTypes", "lead.qualified");
        assertEquals(Set.of("lead.qualified"),
                WebhookSources.fromProperties(properties::get).find("forge").orElseThrow().eventTypes());
    }
}

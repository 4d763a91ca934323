package io.hookrail.ops;

import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailProcess;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Secrets and settings come from the environment of the process, as a production deployment sets them. */
class EnvironmentConfigurationTest {

    @Test
    void environmentVariablesOverrideSecretsAndLimits() throws Exception {
        String productionSecret = "whsec_" + Base64.getEncoder().encodeToString("production-shop-secret-32-bytes!".getBytes(UTF_8));
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        try (HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-env-"), Map.of())
                .environment("HOOKRAIL_SOURCE_SHOP_SECRET", productionSecret)
                .environment("CAMEL_SERVER_MAX_BODY_SIZE", "200")
                .start()) {
            WebhookSender sender = new WebhookSender(hookrail.baseUrl());
            byte[] small = "{}".getBytes(UTF_8);
            assertEquals(401, sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, "msg_1", small).statusCode());
            // the production secret verifies: the empty object is then refused as no event
            assertEquals(400, sender.standardWebhooks("shop", productionSecret, "msg_2", small).statusCode());
            // the golden order is larger than the 200 bytes the environment allows
            assertEquals(413, sender.standardWebhooks("shop", productionSecret, "msg_" + UUID.randomUUID(),
                    order).statusCode());

            String output = hookrail.output();
            assertFalse(output.contains("Webhook source 'shop' uses a published demo secret"), "shop still warned");
            assertTrue(output.contains("Webhook source 'crm' uses a published demo secret"), "crm not warned");
            assertFalse(output.contains(productionSecret), "the secret was logged");
        }
    }
}

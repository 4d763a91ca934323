package io.hookrail.ops.profile;

import java.nio.file.Files;
import java.util.Map;

import io.hookrail.support.HookrailProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code java -jar} with the shipped defaults and the production profile does not start, and says why. */
class ProductionProfileStartupTest {

    @Test
    void theProductionProfileWithTheShippedDefaultsStopsNamingEveryProblem() throws Exception {
        try (HookrailProcess hookrail = new HookrailProcess(Files.createTempDirectory("hookrail-profile-"),
                Map.of(ProfileCheck.KEY, ProfileCheck.PRODUCTION))) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, hookrail::start);
            assertTrue(stopped.getMessage().contains("exited during startup"), stopped.getMessage());
            String output = hookrail.output();
            assertTrue(output.contains("Hookrail refuses to start in the production profile"), output);
            for (String problem : new String[] {
                    "hookrail.source.shop.secret is a published demo secret: set HOOKRAIL_SOURCE_SHOP_SECRET",
                    "hookrail.source.payments.secret is a published demo secret",
                    "hookrail.source.crm.secret is a published demo secret",
                    "hookrail.source.support.secret is a published demo secret",
                    "hookrail.admin.user.viewer.token is a published demo token",
                    "hookrail.admin.user.approver2.token is a published demo token",
                    "hookrail.sandbox.enabled is true",
                    "hookrail.broker.sealKey is not set: set HOOKRAIL_BROKER_SEALKEY"}) {
                assertTrue(output.contains(problem), problem + " not named in: " + output);
            }
        }
    }
}

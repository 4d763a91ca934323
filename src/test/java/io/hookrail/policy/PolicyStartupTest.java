package io.hookrail.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.hookrail.support.HookrailProcess;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code hookrail.policy.file} names a policy file on disk; a bad one stops Hookrail naming file, line and problem. */
class PolicyStartupTest {

    @Test
    void aBadPolicyFileStopsStartupNamingFileLineAndProblem() throws Exception {
        Path dir = Files.createTempDirectory("hookrail-policy-");
        Path policy = Files.writeString(dir.resolve("policies.yaml"), """
                version: 2
                eventTypes:
                  order.placed:
                    requireApproval:
                      - rule: order-above-threshold
                        reason: Large orders need an approval
                        amountAbove: { EUR: 1000.00 }
                """);
        try (HookrailProcess hookrail = new HookrailProcess(dir, Map.of("hookrail.policy.file", policy.toString()))) {
            IllegalStateException stopped = assertThrows(IllegalStateException.class, hookrail::start);
            assertTrue(stopped.getMessage().contains("exited during startup"), stopped.getMessage());
            String output = hookrail.output();
            assertTrue(output.contains(policy + ":7:29: the threshold of EUR must be a whole number of minor units"),
                    output);
        }
    }

    @Test
    void aPolicyFileOnDiskReplacesTheDefault() throws Exception {
        Path dir = Files.createTempDirectory("hookrail-policy-");
        Path policy = Files.writeString(dir.resolve("policies.yaml"), """
                version: 7
                eventTypes: {}
                """);
        try (HookrailProcess hookrail = new HookrailProcess(dir, Map.of("hookrail.policy.file", policy.toString()))) {
            hookrail.start();
            assertTrue(hookrail.output().contains("Policy " + policy + " version 7 loaded"), hookrail.output());
        }
    }
}

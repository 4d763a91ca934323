package io.hookrail.probe;

import java.util.List;

import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The synthetic probe sends a signed synthetic event per event type through the gateway and times each flow to its
 * run's end; downstream systems see them marked, and the sandbox keeps no effect of them.
 */
class SyntheticProbeTest {

    static final String PROBE = "hookrail_probe_duration_seconds_count";

    HookrailInstance hookrail;
    SandboxClient sandbox;

    @BeforeEach
    void start() {
        hookrail = HookrailInstance.builder()
                .property("hookrail.probe.enabled", "true")
                .property("hookrail.probe.intervalMillis", "500")
                .property("hookrail.probe.timeoutMillis", "4000")
                .property("hookrail.probe.checkMillis", "100")
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "50")
                .start();
        sandbox = new SandboxClient(hookrail.baseUrl());
    }

    @AfterEach
    void stop() {
        hookrail.close();
    }

    @Test
    void everyFlowIsProbedEndToEndAndTheSandboxKeepsNoEffectOfIt() throws Exception {
        for (String flow : List.of("order-fulfilment", "invoice-paid", "lead-qualified", "refund", "customer-deletion")) {
            assertTrue(Await.until(() -> metrics().value(PROBE, "flow", flow, "result", "success") >= 1),
                    flow + " was never probed with success: " + metrics().text().lines()
                            .filter(line -> line.startsWith(PROBE)).toList());
        }
        assertEquals(0, metrics().value(PROBE, "result", "failure") + metrics().value(PROBE, "result", "timeout")
                + metrics().value(PROBE, "result", "refused"), 0.0);
        // marked: no KPI moved, nothing in the sandbox's ledger (the calls were made: each probe ran every step)
        assertEquals(0, metrics().value("hookrail_business_events_total"), 0.0);
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        assertEquals(0, operator.get("/sandbox/ledger").path("total").asInt());
        // a deletion, which the policy holds for a person, is not held when synthetic
        assertEquals(0, operator.get("/api/approvals").path("items").size());
    }

    @Test
    void aProbeFailsWhenADownstreamSystemIsDown() throws Exception {
        sandbox.fault("payments", "down");
        assertTrue(Await.until(() -> metrics().value(PROBE, "flow", "order-fulfilment", "result", "failure") >= 1),
                "the order probe never failed with payments down");
        assertTrue(metrics().value(PROBE, "flow", "lead-qualified", "result", "success") >= 1,
                "a flow that does not call payments failed too");
        sandbox.clearFaults();
        double failures = metrics().value(PROBE, "flow", "order-fulfilment", "result", "failure");
        double successes = metrics().value(PROBE, "flow", "order-fulfilment", "result", "success");
        assertTrue(Await.until(() -> metrics().value(PROBE, "flow", "order-fulfilment", "result", "success")
                > successes), "the order probe did not recover with payments back");
        assertTrue(metrics().value(PROBE, "flow", "order-fulfilment", "result", "failure") <= failures + 1);
    }

    MetricsScrape metrics() {
        return MetricsScrape.of(hookrail.managementUrl());
    }
}

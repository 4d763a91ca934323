package io.hookrail.flow;

import java.util.List;
import java.util.UUID;

import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A downstream outage opens its system's circuit breaker: the step's next try is refused without a call and waits
 * the breaker's open time; once the system is back, a trial call closes the breaker and the order completes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CircuitBreakerTest {

    TestDatabase database;
    HookrailInstance hookrail;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder()
                .database(database)
                .property("hookrail.flow.retry.maximumRedeliveries", "5")
                .property("hookrail.flow.retry.initialDelayMillis", "100")
                .property("hookrail.flow.retry.maximumDelayMillis", "5000")
                .property("hookrail.circuitBreaker.minimumNumberOfCalls", "4")
                .property("hookrail.circuitBreaker.slidingWindowSize", "4")
                .property("hookrail.circuitBreaker.waitDurationInOpenState", "PT2S")
                .property("hookrail.circuitBreaker.permittedCallsInHalfOpenState", "1")
                .start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void anOutageOpensTheBreakerWhichClosesByItselfWhenTheSystemIsBack() throws Exception {
        SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
        AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
        assertEquals(0, breakerState());
        sandbox.fault("erp", "down");
        String eventId = "msg_" + UUID.randomUUID();
        String orderId = "ORD-" + UUID.randomUUID();
        assertEquals(202, new WebhookSender(hookrail.baseUrl()).standardWebhooks("shop", GoldenEvents.SHOP_SECRET, eventId,
                GoldenEvents.withField("shop-order-placed-small.json", "orderId", orderId)).statusCode());

        assertTrue(Await.until(() -> breakerState() == 1), "the breaker of erp did not open");
        sandbox.clearFaults();
        // the try the open breaker refused is on the timeline, and never reached the ERP
        Timelines.awaitStep(operator, eventId, "circuit", "open");
        assertEquals(List.of("invoice.create", "payment.capture", "email.send"),
                sandbox.awaitOperations(orderId, ops -> ops.contains("email.send")));
        assertTrue(Await.until(() -> breakerState() == 0), "the breaker of erp did not close again");
        long erpCalls = Timelines.steps(operator, eventId).stream()
                .filter(step -> "call".equals(step.path("kind").asText())
                        && "invoice.create".equals(step.path("step").asText())).count();
        long tries = Timelines.steps(operator, eventId).stream()
                .filter(step -> "retry".equals(step.path("kind").asText())).count() + 1;
        assertTrue(erpCalls < tries, erpCalls + " calls for " + tries + " tries: the open breaker let calls through");
    }

    double breakerState() {
        return MetricsScrape.of(hookrail.managementUrl()).value("hookrail_circuit_breaker_state", "system", "erp");
    }
}

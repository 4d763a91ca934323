package io.hookrail.poll;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.hookrail.support.Await;
import io.hookrail.support.HookrailCluster;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.StandaloneBroker;
import io.hookrail.support.TestDatabase;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.junit.jupiter.api.Test;

import static io.hookrail.poll.PollingSourceTest.addItems;
import static io.hookrail.poll.PollingSourceTest.invoice;
import static io.hookrail.poll.PollingSourceTest.receipts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on one PostgreSQL and one broker: only the holder of the lease {@code poll-erp-invoices} polls the
 * feed (the other never runs the poller's route), and when it stops the other takes the polling over from the
 * stored watermark; every item is admitted and runs its flow once.
 */
class PollingSingletonTest {

    static final String ROUTE = "poll-erp-invoices";
    static final Map<String, String> KEYS = HookrailCluster.sharedKeys();

    @Test
    void onlyTheLeaseHolderPollsAndTheOtherTakesOverWhenItStops() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        try (TestDatabase database = TestDatabase.freshPostgres();
             StandaloneBroker broker = new StandaloneBroker(Files.createTempDirectory("hookrail-mq-")).start()) {
            HookrailInstance one = shared(database, broker).property("hookrail.instance.id", "one").start();
            try (HookrailInstance two = shared(database, broker).property("hookrail.instance.id", "two").start()) {
                try {
                    assertTrue(Await.until(() -> leads(one)), "one does not hold " + ROUTE);
                    assertFalse(leads(two), "both hold " + ROUTE);
                    addItems(one, run, 1, 12);
                    assertTrue(Await.until(() -> receiptsOf(two) == 12), () -> "admitted: " + receiptsOf(two));
                    assertTrue(Await.until(() -> accepted(one) == 12), () -> "one accepted " + accepted(one));
                    assertEquals(0, accepted(two), "two polled too");
                    assertEquals(0, pollRuns(two), "two ran the poller's route");
                } finally {
                    one.close();
                }

                // a graceful stop released the lease: two takes the poller over and resumes from the watermark
                assertTrue(Await.until(() -> leads(two)), "two did not take over " + ROUTE);
                addItems(two, run, 13, 8);
                assertTrue(Await.until(() -> accepted(two) == 8), () -> "two accepted " + accepted(two));
                assertEquals(20, receiptsOf(two));
                assertEquals(0, MetricsScrape.of(two.managementUrl()).value("hookrail_poll_items_total",
                        "source", PollingSourceTest.SOURCE, "outcome", "duplicate"), "two polled from the beginning");
                SandboxClient sandbox = new SandboxClient(two.baseUrl());
                for (int n = 1; n <= 20; n++) {
                    assertEquals(List.of("invoice.markPaid", "note.add"),
                            sandbox.awaitOperations(invoice(run, n), ops -> ops.size() >= 2), invoice(run, n));
                }
            }
        }
    }

    static HookrailInstance.Builder shared(TestDatabase database, StandaloneBroker broker) {
        HookrailInstance.Builder builder = PollingSourceTest.polling(HookrailInstance.builder().database(database))
                .property("hookrail.broker.url", broker.url())
                .property("hookrail.cluster.renewMillis", "300")
                .property("hookrail.cluster.lease", "PT3S");
        KEYS.forEach(builder::property);
        return builder;
    }

    static boolean leads(HookrailInstance instance) {
        return ClusterServiceHelper.lookupService(instance.camelContext())
                .map((CamelClusterService cluster) -> cluster.isLeader(ROUTE)).orElse(false);
    }

    static long accepted(HookrailInstance instance) {
        return (long) MetricsScrape.of(instance.managementUrl()).value("hookrail_poll_items_total", "source",
                PollingSourceTest.SOURCE, "outcome", "accepted");
    }

    static long pollRuns(HookrailInstance instance) throws Exception {
        return instance.camelContext().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(ROUTE).getExchangesTotal();
    }

    static long receiptsOf(HookrailInstance instance) {
        try {
            return receipts(instance);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }
}

package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;

import jakarta.jms.TextMessage;

import io.hookrail.support.EventQueue;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static io.hookrail.support.GoldenEvents.SHOP_SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Group commit at the door on PostgreSQL. */
class GroupCommitOnPostgresTest extends GroupCommitScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }

    @Test
    void aBatchTheStoreFailsIsAnswered503EverywhereAndItsRetriesAreAccepted() throws Exception {
        int deliveries = 20;
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < deliveries; i++) {
            ids.add("msg_" + UUID.randomUUID());
        }
        try (EventQueue queue = new EventQueue(broker.url(), "gc-store-outage", "order.placed")) {
            database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS false");
            database.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'");
            try {
                List<Future<HttpResponse<String>>> refused = new ArrayList<>();
                for (String id : ids) {
                    refused.add(deliver(sender, id, order));
                }
                for (Future<HttpResponse<String>> response : refused) {
                    WebhookGatewayScenarios.assertProblem(response.get(), 503, "unavailable");
                }
            } finally {
                database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS true");
            }
            for (String id : ids) {
                HttpResponse<String> retried = WebhookGatewayScenarios.eventually(
                        () -> sender.standardWebhooks("shop", SHOP_SECRET, id, order), r -> r.statusCode() != 503);
                assertEquals(202, retried.statusCode(), retried.body());
            }
            Set<String> published = new HashSet<>();
            List<TextMessage> messages = queue.drain(1_000);
            messages.forEach(message -> published.add(property(message)));
            assertEquals(deliveries, messages.size(), "nothing of the failed batches was published");
            assertEquals(Set.copyOf(ids), published);
        }
    }

    private static String property(TextMessage message) {
        try {
            return message.getStringProperty("eventId");
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.hookrail.support.GoldenEvents;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The gateway's contract on PostgreSQL. */
class WebhookGatewayOnPostgresTest extends WebhookGatewayScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }

    @Test
    void storeOutageAnswers503AndTheSendersRetryIsAcceptedOnceTheStoreIsBack() throws Exception {
        byte[] order = GoldenEvents.read("shop-order-placed-small.json");
        String id = "msg_" + UUID.randomUUID();
        database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS false");
        database.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'");
        try {
            HttpResponse<String> refused = sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, id, order);
            assertProblem(refused, 503, "unavailable");
            assertEquals(503, health(java.net.http.HttpClient.newHttpClient(), hookrail, "/observe/health/ready")
                    .statusCode());
        } finally {
            database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS true");
        }
        HttpResponse<String> retried = eventually(() -> sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, id,
                order), r -> r.statusCode() != 503);
        assertEquals(202, retried.statusCode(), retried.body());
    }
}

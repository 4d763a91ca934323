package io.hookrail.approval;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.HookrailCluster;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.StandaloneBroker;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.apache.camel.api.management.ManagedCamelContext;
import org.junit.jupiter.api.Test;

import static io.hookrail.approval.ApprovalEvidence.awaitApproval;
import static io.hookrail.approval.ApprovalEvidence.awaitOutcomeAfterHold;
import static io.hookrail.approval.ApprovalEvidence.sendRefund;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances on one PostgreSQL and one broker: the approval expiry runs on the holder of its lease only, each
 * expired approval is recorded once, and when the holder stops the other instance takes the job over.
 */
class ApprovalExpiryAcrossInstancesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String JOB = "approval-expiry";

    @Test
    void theExpiryRunsOnOneInstanceAndMovesWhenItStops() throws Exception {
        try (TestDatabase database = TestDatabase.freshPostgres();
             StandaloneBroker broker = new StandaloneBroker(Files.createTempDirectory("hookrail-mq-")).start()) {
            HookrailInstance.Builder one = shared(database, broker).property("hookrail.instance.id", "one");
            HookrailInstance.Builder two = shared(database, broker).property("hookrail.instance.id", "two");
            HookrailInstance first = one.start();
            try (HookrailInstance second = two.start()) {
                try {
                    assertTrue(Await.until(() -> holderSeenBy(first).equals("one")),
                            "one does not hold " + JOB + ": " + readyBody(first));
                    assertTrue(Await.until(() -> holderSeenBy(second).equals("one")), "two does not see one hold it");
                    assertEquals("two", ready(second).path("instance").asText());

                    // sent to the instance that does not hold the job: expired all the same, by the holder, once
                    String eventId = expireOneVia(second);
                    assertTrue(expiryRuns(first) > 0);
                    assertEquals(0, expiryRuns(second), "the instance without the lease ran the expiry");
                    assertEquals("expired", awaitOutcomeAfterHold(approver(second), eventId));
                } finally {
                    first.close();
                }

                // a graceful stop released the lease: two takes it within a renewal or so
                assertTrue(Await.until(() -> holderSeenBy(second).equals("two")), "two did not take over " + JOB);
                String next = expireOneVia(second);
                assertTrue(expiryRuns(second) > 0);
                assertEquals("expired", awaitOutcomeAfterHold(approver(second), next));
            }
        }
    }

    /** Sends a refund that needs an approval to this instance, waits for it to expire; checks one audit entry. */
    static String expireOneVia(HookrailInstance instance) throws Exception {
        AdminClient approver = approver(instance);
        String eventId = sendRefund(new WebhookSender(instance.baseUrl()), "RF-" + UUID.randomUUID(), 100000, null);
        JsonNode expired = awaitApproval(approver, "refund", eventId, "expired");
        JsonNode audit = approver.get("/api/audit?action=approval.expired&subject=" + expired.path("id").asText());
        assertEquals(1, audit.path("total").asInt(), audit.toString());
        return eventId;
    }

    static HookrailInstance.Builder shared(TestDatabase database, StandaloneBroker broker) {
        HookrailInstance.Builder builder = HookrailInstance.builder().database(database)
                .property("hookrail.broker.url", broker.url());
        KEYS.forEach(builder::property);
        return builder.property("hookrail.approval.expiry", "PT1S")
                .property("hookrail.approval.expiryCheckMillis", "200")
                .property("hookrail.cluster.renewMillis", "300")
                .property("hookrail.cluster.lease", "PT3S");
    }

    /** One key set for both, as instances sharing a broker and a store must have. */
    static final Map<String, String> KEYS = HookrailCluster.sharedKeys();

    static AdminClient approver(HookrailInstance instance) {
        return new AdminClient(instance.baseUrl(), AdminClient.APPROVER_TOKEN);
    }

    /** Exchanges the expiry route of this instance has run. */
    static long expiryRuns(HookrailInstance instance) throws Exception {
        return instance.camelContext().getCamelContextExtension().getContextPlugin(ManagedCamelContext.class)
                .getManagedRoute(JOB).getExchangesTotal();
    }

    /** The holder of the expiry job as this instance's readiness reports it. */
    static String holderSeenBy(HookrailInstance instance) {
        try {
            return ready(instance).path("singleton." + JOB).asText();
        } catch (Exception e) {
            return "";
        }
    }

    /** The details of the singletons check in this instance's readiness (Camel shows details with data=true). */
    static JsonNode ready(HookrailInstance instance) throws Exception {
        String body = readyBody(instance);
        for (JsonNode check : JSON.readTree(body).path("checks")) {
            if (check.path("name").asText().equals("singletons")) {
                return check.path("data");
            }
        }
        throw new AssertionError("no singletons check in " + body);
    }

    static String readyBody(HookrailInstance instance) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(instance.managementUrl() + "/observe/health/ready?data=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}

package io.hookrail.privacy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Personal data at rest, per database: after the golden events ran through their flows, the store (read with SQL)
 * and the broker's KahaDB files hold ciphertext, not the examples' email addresses and names; approvers still read
 * plaintext; and after a key rotation an approval stored under the old key is decided and its flow gets plaintext.
 */
abstract class PersonalDataAtRestScenarios {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String REQUESTER = "kim.requester@example.org";
    static final String REASON = "Kim Requester says the parcel never came";
    /** What the examples and this test send that is personal: none of it may be found at rest. */
    static final List<String> PERSONAL = List.of("amina.otieno@example.com", "procurement@acme.example",
            "zoe.muller@example.de", "wanjiru@kilimo.example", "Amina Otieno", "Wanjiru Kamau", REQUESTER, REASON,
            "dlq.person@example.net");
    static final List<String> ORDERS = List.of("ORD-10001", "ORD-10002", "ORD-10003");

    abstract TestDatabase database();

    @Test
    void personalDataIsCiphertextInTheStoreAndOnTheBrokerAndOldKeysStillDecryptAfterRotation() throws Exception {
        String keyA = TestPersonalData.key("key-a");
        String keyB = TestPersonalData.key("key-b");
        String pseudonymKey = TestPersonalData.pseudonymKey();
        Path dataDir = Files.createTempDirectory("hookrail-privacy-");
        String refundId = "RF-" + UUID.randomUUID();
        String approvalId;
        List<String> eventIds = new ArrayList<>();
        try (TestDatabase database = database()) {
            try (HookrailInstance hookrail = start(database, dataDir, keyA, "", pseudonymKey)) {
                WebhookSender sender = new WebhookSender(hookrail.baseUrl());
                SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
                for (GoldenEvents.Golden golden : GoldenEvents.ALL) {
                    String id = "msg_" + UUID.randomUUID();
                    int status = golden.isStripe()
                            ? sender.stripe(golden.source(), golden.secret(), golden.body()).statusCode()
                            : sender.standardWebhooks(golden.source(), golden.secret(), id, golden.body()).statusCode();
                    assertEquals(202, status, golden.file());
                    eventIds.add(id);
                }
                String heldEventId = sendHeldRefund(sender, refundId);
                for (String order : ORDERS) {
                    sandbox.awaitOperations(order, ops -> ops.contains("email.send"));
                }
                sandbox.awaitOperations("LEAD-3141", ops -> ops.size() >= 2);

                // a dead letter: exported without personal data, and its replay still reaches the flow in plaintext
                String dlqOrder = "ORD-" + UUID.randomUUID();
                sandbox.fault("email", "down");
                String dlqEventId = sendOrder(sender, dlqOrder, "dlq.person@example.net");
                AdminClient operator = new AdminClient(hookrail.baseUrl(), AdminClient.OPERATOR_TOKEN);
                assertTrue(Await.until(() -> operator.deadLetter("order-fulfilment", dlqEventId).isPresent()),
                        "the order is dead-lettered while email is down");
                JsonNode letter = operator.deadLetter("order-fulfilment", dlqEventId).orElseThrow();
                String exported = letter.toString() + operator.get("/api/dlq/" + letter.path("id").asText())
                        + operator.get("/api/dlq");
                assertTrue(exported.contains(dlqEventId), exported);
                assertFalse(exported.contains("dlq.person@"), exported);
                sandbox.clearFaults();
                assertEquals(200, operator.postRaw("/api/dlq/" + letter.path("id").asText() + "/replay", "")
                        .statusCode());
                sandbox.awaitOperations(dlqOrder, ops -> ops.contains("email.send"));
                AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
                JsonNode pending = awaitPending(approver, refundId);
                approvalId = pending.path("id").asText();
                // the approver reads plaintext: the claimed requester and the reason as sent
                assertEquals(REQUESTER, pending.path("claimedBy").asText());
                assertEquals(REASON, pending.path("data").path("reason").asText());

                DataSource store = hookrail.camelContext().getRegistry().lookupByNameAndType("dataSource",
                        DataSource.class);
                String approvalRow = text(store, "SELECT event, requested_by FROM approval WHERE id = '" + approvalId + "'");
                assertTrue(approvalRow.contains(FieldCipher.PREFIX + "key-a:"), approvalRow);
                String journal = text(store, "SELECT request_body, response FROM flow_step_journal");
                assertTrue(journal.contains(FieldCipher.PREFIX + "key-a:"), "the journal holds ciphertext");
                assertNoPersonalData(store);

                // the broker's files: no address, while the event ids (a positive marker) are there
                String kahaDb = kahaDbText(dataDir);
                assertTrue(kahaDb.contains(heldEventId) && kahaDb.contains(eventIds.get(0)),
                        "the events are in the KahaDB files");
                for (String personal : PERSONAL) {
                    assertFalse(kahaDb.contains(personal), personal + " in the broker's KahaDB files");
                }
                assertTrue(kahaDb.contains(FieldCipher.PREFIX + "key-a:"));
            }

            // rotation: key B added and made active, key A still listed
            try (HookrailInstance hookrail = start(database, dataDir, keyA + "," + keyB, "key-b", pseudonymKey)) {
                AdminClient approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
                SandboxClient sandbox = new SandboxClient(hookrail.baseUrl());
                assertEquals(200, approver.postRaw("/api/approvals/" + approvalId + "/approve",
                        "{\"comment\": \"ok, mail kim.requester@example.org\"}").statusCode());
                assertEquals(List.of("payment.refund", "note.add"),
                        sandbox.awaitOperations(refundId, ops -> ops.size() >= 2));
                DataSource store = hookrail.camelContext().getRegistry().lookupByNameAndType("dataSource",
                        DataSource.class);
                // the flow got plaintext: the refund it sent to payments (journaled under the new key) has the reason
                PersonalData bothKeys = new PersonalData(PersonalFields.discover(),
                        new FieldCipher(FieldKeys.parse(keyA + "," + keyB, "key-b")),
                        new Pseudonyms(Base64.getDecoder().decode(pseudonymKey)));
                List<String> requests = List.of(text(store, "SELECT request_body FROM flow_step_journal WHERE"
                        + " business_id = '" + refundId + "'").split("\n"));
                assertEquals(2, requests.size(), "payment.refund and note.add journaled");
                requests.forEach(request -> assertTrue(request.startsWith(FieldCipher.PREFIX + "key-b:"), request));
                assertTrue(requests.stream().map(request -> bothKeys.decrypt("flow_step_journal.request_body", request))
                        .anyMatch(plaintext -> plaintext.contains(REASON)), "the flow sent the reason in plaintext");
                // the audit chain names the requester by pseudonym, never by address
                String audit = text(store, "SELECT detail FROM audit_entry WHERE subject = '" + approvalId + "'");
                assertTrue(audit.contains(bothKeys.pseudonyms().of(REQUESTER)), audit);
                assertNoPersonalData(store);
                assertFalse(audit.contains("kim.requester@"), audit);
            }
        }
    }

    static HookrailInstance start(TestDatabase database, Path dataDir, String keys, String active, String pseudonymKey) {
        // a run that fails for good is dead-lettered after one quick retry
        return HookrailInstance.builder().database(database)
                .property("hookrail.flow.retry.maximumRedeliveries", "1")
                .property("hookrail.flow.retry.initialDelayMillis", "100")
                .property("hookrail.data.dir", dataDir.toString())
                .property("hookrail.crypto.keys", keys)
                .property("hookrail.crypto.activeKeyId", active)
                .property("hookrail.crypto.pseudonymKey", pseudonymKey).start();
    }

    /** The small golden order under another order id and customer address; returns its event id. */
    static String sendOrder(WebhookSender sender, String orderId, String email) throws Exception {
        ObjectNode order = (ObjectNode) JSON.readTree(GoldenEvents.read("shop-order-placed-small.json"));
        ((ObjectNode) order.get("data")).put("orderId", orderId);
        ((ObjectNode) order.at("/data/customer")).put("email", email);
        String id = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("shop", GoldenEvents.SHOP_SECRET, id, JSON.writeValueAsBytes(order))
                .statusCode());
        return id;
    }

    /** A USD refund large enough to be held for approval, naming its requester and a person in its reason. */
    static String sendHeldRefund(WebhookSender sender, String refundId) throws Exception {
        ObjectNode refund = (ObjectNode) JSON.readTree(GoldenEvents.read("support-refund-large.json"));
        ((ObjectNode) refund.get("data")).put("refundId", refundId).put("amountMinor", 100000)
                .put("requestedBy", REQUESTER).put("reason", REASON);
        String id = "msg_" + UUID.randomUUID();
        assertEquals(202, sender.standardWebhooks("support", GoldenEvents.SUPPORT_SECRET, id,
                JSON.writeValueAsBytes(refund)).statusCode());
        return id;
    }

    static JsonNode awaitPending(AdminClient approver, String refundId) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        assertTrue(Await.until(() -> {
            for (JsonNode item : approver.get("/api/approvals?state=pending&flow=refund").path("items")) {
                if (refundId.equals(item.path("businessId").asText())) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        }), refundId + " not held for approval");
        return found[0];
    }

    /** Every text column Hookrail stores event-derived data in, read with SQL: none holds personal data. */
    static void assertNoPersonalData(DataSource store) throws SQLException {
        String all = text(store, "SELECT event, requested_by, reason, decision_comment FROM approval")
                + text(store, "SELECT request_url, request_body, response, last_error FROM flow_step_journal")
                + text(store, "SELECT failure FROM flow_attempt")
                + text(store, "SELECT detail FROM event_timeline")
                + text(store, "SELECT actor, subject, detail FROM audit_entry")
                + text(store, "SELECT source, event_id, event_type, business_id FROM ingest_receipt")
                + text(store, "SELECT order_id FROM policy_order");
        assertTrue(all.contains("ORD-10001"), "the store holds the runs");
        for (String personal : PERSONAL) {
            assertFalse(all.contains(personal), personal + " stored in plaintext");
        }
    }

    static String text(DataSource store, String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    text.append(rows.getString(i)).append('\n');
                }
            }
        }
        return text.toString();
    }

    /** The bytes of the broker's KahaDB journal files, as ISO-8859-1 text (every byte one character). */
    static String kahaDbText(Path dataDir) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.walk(dataDir.resolve("broker"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                text.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }
}

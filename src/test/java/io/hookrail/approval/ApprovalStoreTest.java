package io.hookrail.approval;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookrail.store.SqlStates;
import io.hookrail.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The approval store on H2 and PostgreSQL, migrated over a row held before V9 (which stored no data hash): one
 * approval per flow, business id and event data, the old row found by the data of the event it holds.
 */
class ApprovalStoreTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void anApprovalCoversTheDataItWasAskedForAndOldRowsAreFoundByTheirEvent(String database) throws Exception {
        try (TestDatabase postgres = database.equals("postgresql") ? TestDatabase.freshPostgres() : null;
             HikariDataSource dataSource = dataSource(postgres == null
                     ? "jdbc:h2:mem:approvals-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" : postgres.jdbcUrl())) {
            // the schema as it was before V9, with one approval held then
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("7").load().migrate();
            ObjectNode oldEvent = refund("RF-1", 100000);
            insertPreV9(dataSource, "APR-old", "RF-1", oldEvent);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            ApprovalStore store = new ApprovalStore(dataSource, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(72),
                    io.hookrail.privacy.TestPersonalData.create());

            // the old row, by the data of its event (its fields in another order: the hash is of canonical JSON)
            String oldHash = Approval.dataHash(reordered(oldEvent.get("data")));
            Approval old = store.findByEvent("refund", "RF-1", oldHash).orElseThrow();
            assertEquals("APR-old", old.id());
            assertNull(old.dataHash());
            assertEquals("APR-old", hold(store, "RF-1", refund("RF-1", 100000)).id(), "the same data held again");

            // other data under the same refund id: an approval of its own, which carries its hash
            ObjectNode larger = refund("RF-1", 120000);
            Approval own = hold(store, "RF-1", larger);
            assertNotEquals("APR-old", own.id());
            assertEquals(Approval.dataHash(larger.get("data")), own.dataHash());
            // the authenticated requester is stored (V10); the row held before it has none
            assertEquals("user:operator", store.find(own.id()).orElseThrow().requester());
            assertNull(old.requester());
            assertEquals(own.id(), store.findByEvent("refund", "RF-1", own.dataHash()).orElseThrow().id());
            assertEquals("APR-old", store.findByEvent("refund", "RF-1", oldHash).orElseThrow().id());
            assertEquals(own.id(), hold(store, "RF-1", refund("RF-1", 120000)).id(), "the larger one held again");
            assertTrue(store.findByEvent("refund", "RF-1", Approval.dataHash(refund("RF-1", 130000).get("data")))
                    .isEmpty());
            assertEquals(List.of("APR-old", own.id()), store.list(null, "refund", null).stream().map(Approval::id).toList());

            // the constraint is per flow, business id and data hash
            SQLException twice = assertThrows(SQLException.class, () -> insertWithHash(dataSource, "APR-twice", "RF-1",
                    own.dataHash()));
            assertTrue(SqlStates.isUniqueViolation(twice), twice.toString());
            insertWithHash(dataSource, "APR-other", "RF-1", "0".repeat(64));
            assertThrows(NullPointerException.class, () -> store.hold("refund", "RF-1", null, "evt", "refund.requested",
                    "rule", "reason", null, 1L, "USD", "{}", 1, null));

            // each is decided on its own
            try (Connection transaction = dataSource.getConnection()) {
                transaction.setAutoCommit(false);
                assertTrue(store.decide(transaction, own.id(), Approval.State.APPROVED, "approver", null));
                transaction.commit();
            }
            assertEquals(Approval.State.APPROVED, store.find(own.id()).orElseThrow().state());
            assertEquals(Approval.State.PENDING, store.find("APR-old").orElseThrow().state());
        }
    }

    static Approval hold(ApprovalStore store, String refundId, ObjectNode event) throws SQLException {
        JsonNode data = event.get("data");
        return store.hold("refund", refundId, Approval.dataHash(data), event.path("id").asText(), "refund.requested",
                "refund-above-threshold", "Refunds above 500.00 need a finance approval", null,
                data.get("amountMinor").asLong(), "USD", event.toString(), 1, "user:operator");
    }

    static ObjectNode refund(String refundId, long amountMinor) {
        ObjectNode event = JSON.createObjectNode().put("id", "msg_" + UUID.randomUUID()).put("type", "refund.requested");
        event.putObject("data").put("refundId", refundId).put("orderId", "ORD-1").put("paymentId", "PAY-1")
                .put("currency", "USD").put("amountMinor", amountMinor).put("reason", "duplicate charge");
        return event;
    }

    /** The same object with its fields in reverse order. */
    static JsonNode reordered(JsonNode data) {
        List<String> names = new ArrayList<>();
        data.fieldNames().forEachRemaining(names::add);
        ObjectNode reversed = JSON.createObjectNode();
        for (int i = names.size() - 1; i >= 0; i--) {
            reversed.set(names.get(i), data.get(names.get(i)));
        }
        return reversed;
    }

    static void insertPreV9(HikariDataSource dataSource, String id, String refundId, ObjectNode event)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO approval (id, flow, business_id, event_id, event_type, rule_id, reason, state, amount_minor,"
                        + " currency, event, run, created_at, expires_at) VALUES (?, 'refund', ?, ?, 'refund.requested',"
                        + " 'refund-above-threshold', 'old', 'PENDING', ?, 'USD', ?, 1, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, refundId);
            insert.setString(3, event.path("id").asText());
            insert.setLong(4, event.path("data").path("amountMinor").asLong());
            insert.setString(5, event.toString());
            insert.setObject(6, OffsetDateTime.ofInstant(NOW.minusSeconds(60), ZoneOffset.UTC));
            insert.setObject(7, OffsetDateTime.ofInstant(NOW.plusSeconds(3600), ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    static void insertWithHash(HikariDataSource dataSource, String id, String refundId, String hash)
            throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO approval (id, flow, business_id, event_id, event_type, rule_id, reason, state, event,"
                        + " data_hash, run, created_at, expires_at) VALUES (?, 'refund', ?, ?, 'refund.requested',"
                        + " 'rule', 'reason', 'PENDING', '{}', ?, 1, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, refundId);
            insert.setString(3, "msg_" + UUID.randomUUID());
            insert.setString(4, hash);
            insert.setObject(5, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
            insert.setObject(6, OffsetDateTime.ofInstant(NOW.plusSeconds(3600), ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }

    static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}

package io.hookrail.anomaly;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.MetricsScrape;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The volume check on a fixed clock against the store's receipts, its verdict read on {@code /metrics}: of two event
 * types with the same history (100 an hour, last week and the recent hours), the one whose last hour drops to 10 is a
 * drop; the other, at 100, is normal. The scheduled check is off, so only this one sets the gauges.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VolumeAnomalyTest {

    /** A time no other test's receipts are near. */
    static final Instant NOW = Instant.parse("2026-03-02T10:30:00Z");
    static final Duration HOUR = Duration.ofHours(1);
    static final String SOURCE = "volume-test";
    static final int RECENT_HOURS = 3;

    TestDatabase database;
    HookrailInstance hookrail;

    /** The embedded default; {@link VolumeAnomalyOnPostgresTest} runs the same on PostgreSQL. */
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }

    @BeforeAll
    void startHookrail() {
        database = database();
        hookrail = HookrailInstance.builder().database(database).property("hookrail.volume.enabled", "false").start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        database.close();
    }

    @Test
    void aSharpDropInTheLastHourSetsTheDropGaugeAndANormalHourLeavesItAtZero() throws Exception {
        DataSource dataSource = hookrail.camelContext().getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        HookrailMetrics metrics = hookrail.camelContext().getRegistry()
                .lookupByNameAndType(HookrailMetrics.BEAN, HookrailMetrics.class);
        for (String type : new String[] {"order.placed", "refund.requested"}) {
            receipts(dataSource, type, NOW.minus(Duration.ofDays(7)).minus(HOUR), 100);
            for (int k = 1; k <= RECENT_HOURS; k++) {
                receipts(dataSource, type, NOW.minus(HOUR.multipliedBy(k + 1)), 100);
            }
        }
        receipts(dataSource, "order.placed", NOW.minus(HOUR), 10);
        receipts(dataSource, "refund.requested", NOW.minus(HOUR), 100);

        new VolumeCheck(dataSource, metrics, new VolumeModel(0.3, 0.5, 3, 20), RECENT_HOURS,
                Clock.fixed(NOW, ZoneOffset.UTC)).run();

        MetricsScrape scrape = MetricsScrape.of(hookrail.managementUrl());
        assertEquals(1.0, scrape.value("hookrail_volume_anomaly", "source", SOURCE, "type", "order.placed",
                "direction", "drop"), 0.0);
        assertEquals(0.0, scrape.value("hookrail_volume_anomaly", "source", SOURCE, "type", "order.placed",
                "direction", "spike"), 0.0);
        assertEquals(10.0, scrape.value("hookrail_volume_observed", "source", SOURCE, "type", "order.placed"), 0.0);
        assertEquals(100.0, scrape.value("hookrail_volume_expected", "source", SOURCE, "type", "order.placed"), 1e-9);

        assertEquals(0.0, scrape.value("hookrail_volume_anomaly", "source", SOURCE, "type", "refund.requested",
                "direction", "drop"), 0.0);
        assertEquals(0.0, scrape.value("hookrail_volume_anomaly", "source", SOURCE, "type", "refund.requested",
                "direction", "spike"), 0.0);
        assertEquals(100.0, scrape.value("hookrail_volume_observed", "source", SOURCE, "type", "refund.requested"),
                0.0);
    }

    /** {@code count} receipts of the type spread over the hour starting at {@code from}. */
    private static void receipts(DataSource dataSource, String type, Instant from, int count) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO ingest_receipt (source, event_id, event_type, correlation_id, received_at)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, SOURCE);
                insert.setString(2, "evt_" + UUID.randomUUID());
                insert.setString(3, type);
                insert.setString(4, UUID.randomUUID().toString());
                insert.setObject(5, OffsetDateTime.ofInstant(from.plusMillis(HOUR.toMillis() * i / count),
                        ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}

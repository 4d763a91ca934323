package io.hookrail.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.reconcile.ReconciliationReport.Effect;
import io.hookrail.reconcile.ReconciliationReport.EventLine;
import io.hookrail.reconcile.ReconciliationReport.Owner;
import io.hookrail.reconcile.ReconciliationReport.Unchecked;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ReconciliationReportTest {

    static final Instant FROM = Instant.parse("2026-01-31T00:00:00Z");
    static final Instant AT = Instant.parse("2026-02-01T00:00:00Z");

    @Test
    void withoutTheSandboxTheDownstreamCheckIsNotAvailable() {
        ReconciliationReport report = new ReconciliationReport(FROM, AT, AT, List.of(
                new EventLine("order-fulfilment", "shop", "msg_1", "order.placed", AT.minusSeconds(90),
                        Accounting.IN_FLIGHT, "queued"),
                new EventLine("order-fulfilment", "shop", "msg_2", "order.placed", FROM,
                        Accounting.DEAD_LETTERED, "poison")),
                Map.of("order-fulfilment", new Owner("commerce-team", "high")), null, Set.of(), List.of(), List.of(),
                List.of());
        ObjectNode json = report.toJson();
        assertFalse(json.path("downstream").path("available").asBoolean());
        assertFalse(json.path("downstream").has("missing"));
        assertEquals(2, json.path("accepted").asInt());
        assertEquals(90, json.path("inFlight").get(0).path("ageSeconds").asInt());
        assertEquals(1, json.path("flows").path("order-fulfilment").path("in_flight").asInt());
        assertEquals(1, json.path("flows").path("order-fulfilment").path("dead_lettered_by_kind").path("poison").asInt());
        assertEquals("commerce-team", json.path("flows").path("order-fulfilment").path("owner").asText());
        assertEquals("high", json.path("flows").path("order-fulfilment").path("riskTier").asText());
        assertEquals(0, report.unaccounted());
    }

    @Test
    void theCsvHasARowPerEventAndPerEffectWithCellsQuotedAsRfc4180Says() {
        ReconciliationReport report = new ReconciliationReport(FROM, AT, AT, List.of(
                new EventLine("refund", "support", "msg_\"a,b\"", "refund.requested", FROM,
                        Accounting.UNACCOUNTED, null)), Map.of(), 2, Set.of("note.add"), List.of(),
                List.of(new Effect("refund", "msg_x", "RF-1", "payment.refund", "refund:RF-1:payment.refund:1", 2,
                        Effect.SANDBOX)),
                List.of(new Unchecked("refund", "msg_x", "RF-1", "note.add", "refund:RF-1:note.add:1", "CRM down")));
        assertEquals(List.of("record,flow,source,event_id,event_type,received_at,status,detail",
                        "event,refund,support,\"msg_\"\"a,b\"\"\",refund.requested,2026-01-31T00:00:00Z,unaccounted,",
                        "effect,refund,RF-1,msg_x,payment.refund,,duplicate_effect,"
                                + "refund:RF-1:payment.refund:1 (2 effects by sandbox)",
                        "effect,refund,RF-1,msg_x,note.add,,unchecked_effect,refund:RF-1:note.add:1 (CRM down)"),
                report.toCsv().lines().toList());
        assertEquals(1, report.unaccounted());
    }
}

package io.hookrail.ingest;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventIdsTest {

    @Test
    void idsOfTheSendersAreCanonical() {
        assertTrue(EventIds.isCanonical("msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"));
        assertTrue(EventIds.isCanonical("evt_1NG8Du2eZvKYlo2CUI79vXWy"));
        assertTrue(EventIds.isCanonical("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        assertTrue(EventIds.isCanonical("urn:x.y:1"));
        assertTrue(EventIds.isCanonical("a".repeat(EventIds.MAX_LENGTH)));
    }

    @Test
    void paddedOversizedOrControlCharacterIdsAreNot() {
        for (String id : new String[] {"", " msg_1", "msg_1 ", "msg_1%20", "msg 1", "msg_1\t", "msg_1\u0000",
                "msg_1\n", "msg_1\u00a0", "msg_1\u200b", "msé", "a".repeat(EventIds.MAX_LENGTH + 1), "a/b", "a\"b"}) {
            assertFalse(EventIds.isCanonical(id), "'" + id + "'");
        }
        assertFalse(EventIds.isCanonical(null));
    }

    @Test
    void aRefusedIdIs400WithoutEchoingControlCharactersOrTheWholeId() {
        WebhookRejection padded = assertThrows(WebhookRejection.class, () -> EventIds.require("msg_1\u0007\n", "/id"));
        assertEquals(400, padded.status());
        assertEquals("invalid-event-id", padded.problemType());
        assertTrue(padded.detail().contains("'msg_1??'"), padded.detail());
        assertEquals("/id", padded.violations().get(0).pointer());

        WebhookRejection oversized = assertThrows(WebhookRejection.class,
                () -> EventIds.require("x".repeat(100_000), "header webhook-id"));
        assertTrue(oversized.detail().endsWith("was 100000 characters long"), oversized.detail());
        assertTrue(oversized.detail().length() < 300, oversized.detail());
    }

    @Test
    void theIdOfAnUnsignedIdSenderIsTheHashOfTheSignedBody() {
        String id = EventIds.ofBody("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("sha256:015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862", id);
        assertTrue(EventIds.isCanonical(id));
        assertNotEquals(id, EventIds.ofBody("{\"a\":1} ".getBytes(StandardCharsets.UTF_8)));
    }
}

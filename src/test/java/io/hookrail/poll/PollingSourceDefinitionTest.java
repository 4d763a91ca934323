package io.hookrail.poll;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A polling source's template parameters, and where each kind of watermark comes from. */
class PollingSourceDefinitionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, Object> parameters() {
        Map<String, Object> parameters = new HashMap<>(Map.of("source", "billing", "url", "https://billing.example/items",
                "eventType", "invoice.paid", "interval", "PT15M", "pageSize", "50", "itemsPointer", "/items",
                "idPointer", "/id", "timePointer", "none", "watermark", "cursor", "watermarkPointer", "/next"));
        parameters.putAll(Map.of("watermarkParam", "after", "pageSizeParam", "limit", "initialWatermark", "none"));
        return parameters;
    }

    @Test
    void theTemplateParametersMakeASource() {
        PollingSource source = PollingSource.of(parameters());
        assertEquals(Duration.ofMinutes(15), source.interval());
        assertEquals(PollingSource.Mode.CURSOR, source.mode());
        assertNull(source.timePointer());
        assertNull(source.initialWatermark());
        assertEquals("poll-billing", source.routeId());
        assertTrue(PollingSource.isPollingSource(parameters()));
    }

    @Test
    void aWrongParameterIsNamed() {
        for (Map.Entry<String, String> bad : Map.of("url", "https://billing.example/items?page=1", "interval", "PT7M",
                "pageSize", "0", "watermark", "offset", "idPointer", "id", "watermarkParam", "a b",
                "source", "bill ing").entrySet()) {
            Map<String, Object> parameters = parameters();
            parameters.put(bad.getKey(), bad.getValue());
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> PollingSource.of(parameters), bad.toString());
            assertTrue(refused.getMessage().contains(bad.getKey().equals("interval") ? "PT7M" : bad.getKey()),
                    refused.getMessage());
        }
    }

    @Test
    void aCursorComesFromThePage() throws IOException {
        PollingSource source = PollingSource.of(parameters());
        JsonNode page = JSON.readTree("{\"items\": [{\"id\": \"a\"}], \"next\": \"c-2\"}");
        assertEquals("c-2", PollingSources.nextWatermark(source, page, page.path("items"), "c-1"));
        JsonNode last = JSON.readTree("{\"items\": []}");
        assertNull(PollingSources.nextWatermark(source, last, last.path("items"), "c-2"));
    }

    @Test
    void aTimestampIsThePagesLatestAsAnInstant() throws IOException {
        Map<String, Object> parameters = parameters();
        parameters.put("watermark", "timestamp");
        parameters.put("watermarkPointer", "/updatedAt");
        PollingSource source = PollingSource.of(parameters);
        JsonNode items = JSON.readTree("[{\"id\": \"a\", \"updatedAt\": \"2026-10-25T02:30:00+02:00\"},"
                + " {\"id\": \"b\", \"updatedAt\": \"2026-10-25T01:00:00Z\"},"
                + " {\"id\": \"c\", \"updatedAt\": \"2026-10-25T00:45:00Z\"}]");
        // 02:30+02:00 is 00:30Z: the latest is b's, whatever the offsets say locally
        assertEquals("2026-10-25T01:00:00Z", PollingSources.nextWatermark(source, null, items, null));
        assertEquals("2026-10-25T02:00:00Z",
                PollingSources.nextWatermark(source, null, items, "2026-10-25T02:00:00Z"));
        JsonNode bad = JSON.readTree("[{\"id\": \"d\", \"updatedAt\": \"yesterday\"}]");
        assertThrows(IOException.class, () -> PollingSources.nextWatermark(source, null, bad, null));
    }
}

package io.hookrail.ingest;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTextTest {

    @Test
    void wellFormedUtf8IsDecodedAsItIs() throws Exception {
        assertEquals("{\"name\":\"Zoë 😀\"}", JsonText.decode("{\"name\":\"Zoë 😀\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void overlongSurrogateAndOutOfRangeSequencesAreRefused() {
        for (byte[] bad : new byte[][] {{'"', (byte) 0xC0, (byte) 0xAF, '"'}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF, (byte) 0xFE, '{', 0}, {(byte) 0xE2}}) {
            WebhookRejection refused = assertThrows(WebhookRejection.class, () -> JsonText.decode(bad));
            assertEquals(400, refused.status());
        }
    }

    @Test
    void aNulOrAnUnpairedSurrogateIsFoundWithItsPointer() throws Exception {
        assertEquals("/data/lines/1/sku", JsonText.firstUnstorable(json(
                "{\"data\":{\"lines\":[{\"sku\":\"a\"},{\"sku\":\"b\\u0000\"}]}}")));
        assertEquals("/data/a~1b", JsonText.firstUnstorable(json("{\"data\":{\"a/b\":\"\\ud800x\"}}")));
        assertEquals("/x\u0000", JsonText.firstUnstorable(json("{\"x\\u0000\":1}")));
        assertEquals("/t", JsonText.firstUnstorable(json("{\"t\":\"\\udc00\"}")));
        assertNull(JsonText.firstUnstorable(json("{\"t\":\"\\ud83d\\ude00 and \\u0007\",\"n\":[1,{\"m\":null}]}")));
    }

    private static JsonNode json(String text) throws Exception {
        return JsonMapping.MAPPER.readTree(text);
    }
}

package io.hookrail.ops.logging;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogFormatTest {

    private static Properties system(String format) {
        Properties properties = new Properties();
        if (format != null) {
            properties.setProperty(LogFormat.PROPERTY, format);
        }
        return properties;
    }

    @Test
    void textAndJsonInAnyCaseAndNothingAtAllAreKnown() {
        for (String format : new String[] {null, "", " ", "text", "json", "JSON", "Text"}) {
            assertEquals(Optional.empty(), LogFormat.unknown(system(format), Map.of()), format);
            assertEquals(Optional.empty(), LogFormat.unknown(system(null),
                    format == null ? Map.of() : Map.of(LogFormat.VARIABLE, format)), format);
        }
    }

    @Test
    void anyOtherValueIsReportedAndTheSystemPropertyWins() {
        assertEquals(Optional.of("xml"), LogFormat.unknown(system("xml"), Map.of()));
        assertEquals(Optional.of("jsn"), LogFormat.unknown(system(null), Map.of(LogFormat.VARIABLE, "jsn")));
        assertEquals(Optional.empty(), LogFormat.unknown(system("json"), Map.of(LogFormat.VARIABLE, "jsn")));
        assertEquals(Optional.of("xml"), LogFormat.unknown(system("xml"), Map.of(LogFormat.VARIABLE, "json")));
    }
}

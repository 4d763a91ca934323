package io.hookrail.ops;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnvironmentOverridesTest {

    @Test
    void camelServerAndManagementVariablesBecomeCamelKeys() {
        Map<String, String> keys = EnvironmentOverrides.from(Map.of(
                "CAMEL_SERVER_PORT", "9090",
                "CAMEL_MANAGEMENT_PORT", "9091",
                "CAMEL_SERVER_MAX_BODY_SIZE", "2048"));
        assertEquals(Map.of("camel.server.port", "9090", "camel.management.port", "9091",
                "camel.server.max.body.size", "2048"), keys);
    }

    @Test
    void unrelatedVariablesAreIgnored() {
        assertEquals(Map.of(), EnvironmentOverrides.from(Map.of("PATH", "/bin", "HOOKRAIL_DATA_DIR", "/d",
                "CAMELOT", "x")));
    }
}

package io.hookrail.ops;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns environment variables such as {@code CAMEL_SERVER_PORT} into Camel Main keys such as
 * {@code camel.server.port}.
 * <p>
 * Camel Main 4.17 reads only {@code CAMEL_MAIN_*}, {@code CAMEL_COMPONENT_*} and the like from the environment, and
 * skips every variable ending in {@code _PORT}; Hookrail promises that every key can come from the environment.
 * Camel binds these keys ignoring case and dots, so {@code CAMEL_SERVER_MAX_BODY_SIZE} sets {@code maxBodySize}.
 * Hookrail's own {@code hookrail.*} keys need no help: Camel's properties component looks them up in the environment.
 */
public final class EnvironmentOverrides {

    static final List<String> PREFIXES = List.of("CAMEL_SERVER_", "CAMEL_MANAGEMENT_", "CAMEL_HEALTH_",
            "CAMEL_METRICS_", "CAMEL_MDC_", "CAMEL_MAIN_");

    private EnvironmentOverrides() {
    }

    public static Map<String, String> from(Map<String, String> environment) {
        Map<String, String> keys = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (PREFIXES.stream().anyMatch(name::startsWith)) {
                keys.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return keys;
    }
}

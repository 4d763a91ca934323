package io.hookrail.ops.logging;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log format an operator chose: system property {@value #PROPERTY} or, without it, environment variable
 * {@value #VARIABLE}; {@code text} (the default) or {@code json}. {@code log4j2.properties} reads the same two with
 * lookups and picks its appender; this class only tells the operator, at startup, about a value Log4j took as
 * {@code text}.
 */
public final class LogFormat {

    public static final String PROPERTY = "hookrail.log.format";
    public static final String VARIABLE = "HOOKRAIL_LOG_FORMAT";

    private static final Logger LOG = LoggerFactory.getLogger(LogFormat.class);

    private LogFormat() {
    }

    /** The configured value when it is neither {@code text} nor {@code json} (nor empty). */
    static Optional<String> unknown(Properties system, Map<String, String> environment) {
        String value = system.getProperty(PROPERTY, environment.get(VARIABLE));
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String format = value.toLowerCase(Locale.ROOT);
        return format.equals("text") || format.equals("json") ? Optional.empty() : Optional.of(value);
    }

    /** Logs a warning when the configured log format is not one Hookrail knows. */
    public static void warnIfUnknown() {
        unknown(System.getProperties(), System.getenv()).ifPresent(value -> LOG.warn(
                "Log format '{}' ({} or {}) is neither text nor json: logging text", value, PROPERTY, VARIABLE));
    }
}

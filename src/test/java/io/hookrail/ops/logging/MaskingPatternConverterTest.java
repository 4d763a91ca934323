package io.hookrail.ops.logging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %mask{...}} in the production console layout, read from {@code log4j2.properties}. */
class MaskingPatternConverterTest {

    private static final String BODY = "{\"orderId\":\"ORD-10001\",\"customer\":{\"id\":\"CUS-501\","
            + "\"email\":\"amina.otieno@example.com\",\"name\":\"Amina Otieno\"}}";

    private static String productionPattern() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MaskingPatternConverterTest.class.getResourceAsStream("/log4j2.properties")) {
            properties.load(in);
        }
        String pattern = properties.getProperty("appender.console.layout.pattern");
        assertTrue(pattern.contains("%mask{"), "the console layout does not mask: " + pattern);
        return pattern;
    }

    private static PatternLayout layout(String pattern) {
        return PatternLayout.newBuilder().withPattern(pattern).withConfiguration(new DefaultConfiguration()).build();
    }

    private static LogEvent event(String format, Object argument, Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("org.apache.camel.processor.errorhandler.DeadLetterChannel")
                .setLevel(Level.ERROR).setMessage(new ParameterizedMessage(format, argument)).setThrown(thrown).build();
    }

    @Test
    void theProductionLayoutMasksTheMessage() throws IOException {
        String line = layout(productionPattern()).toSerializable(event("Failed delivery. Body: {}", BODY, null));
        assertTrue(line.contains("Failed delivery. Body: {\"orderId\":\"ORD-10001\",\"customer\":{\"id\":\"CUS-501\","
                + "\"email\":\"***\",\"name\":\"***\"}}"), line);
        assertFalse(line.contains("mask"), "the %mask converter was not found: " + line);
        assertTrue(line.endsWith(System.lineSeparator()), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void theProductionLayoutMasksExceptionsOnceWithTheirCauses() throws IOException {
        Exception thrown = new IllegalStateException("cannot send to amina.otieno@example.com",
                new IllegalArgumentException("bad body " + BODY));
        String rendered = layout(productionPattern()).toSerializable(event("Delivery of {} failed", "ORD-10001", thrown));
        assertFalse(rendered.contains("amina.otieno@example.com"), rendered);
        assertFalse(rendered.contains("Amina Otieno"), rendered);
        assertTrue(rendered.contains("java.lang.IllegalStateException: cannot send to a***@example.com"), rendered);
        assertTrue(rendered.contains("Caused by: java.lang.IllegalArgumentException: bad body"), rendered);
        assertTrue(rendered.contains("\tat io.hookrail.ops.logging.MaskingPatternConverterTest"), "no stack: " + rendered);
        assertEquals(1, rendered.split("IllegalStateException: cannot send", -1).length - 1,
                "the exception must be written once, by %mask: " + rendered);
        assertTrue(rendered.startsWith(rendered.lines().findFirst().orElseThrow()), rendered);
        assertTrue(rendered.lines().findFirst().orElseThrow().endsWith("Delivery of ORD-10001 failed"), rendered);
    }

    @Test
    void aMaskedMessageWithoutTheExceptionLeavesItToTheLayoutsDefault() {
        // %mask{%msg} does not render exceptions, so the layout appends them as usual (unmasked: prefer %mask{%msg%n%xEx})
        String rendered = layout("%mask{%msg}%n").toSerializable(
                event("to {}", "zoe.muller@example.de", new IllegalStateException("boom")));
        assertTrue(rendered.startsWith("to z***@example.de"), rendered);
        assertTrue(rendered.contains("java.lang.IllegalStateException: boom"), rendered);
    }

    @Test
    void maskAloneMasksMessageAndException() {
        String rendered = layout("%mask").toSerializable(
                event("to {}", "zoe.muller@example.de", new IllegalStateException("for wanjiru@kilimo.example")));
        assertTrue(rendered.startsWith("to z***@example.de"), rendered);
        assertTrue(rendered.contains("IllegalStateException: for w***@kilimo.example"), rendered);
        assertEquals(1, rendered.split("IllegalStateException", -1).length - 1, rendered);
    }
}

package io.hookrail.ops.logging;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.JdkMapAdapterStringMap;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production {@code log4j2.properties}, built as Log4j builds it: the log format switch, and the JSON layout's
 * lines, masked as the console's are.
 */
class JsonLogLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = "{\"orderId\":\"ORD-10001\",\"customer\":{\"id\":\"CUS-501\","
            + "\"email\":\"amina.otieno@example.com\",\"name\":\"Amina Otieno\"}}";
    private static final Map<String, String> MDC = Map.of("correlationId", "cid-42", "eventId", "msg_1",
            "flow", "order-fulfilment", "step", "email.send", "camel.exchangeId", "X-1");

    private String previousFormat = System.getProperty(LogFormat.PROPERTY);

    @AfterEach
    void restoreFormat() {
        if (previousFormat == null) {
            System.clearProperty(LogFormat.PROPERTY);
        } else {
            System.setProperty(LogFormat.PROPERTY, previousFormat);
        }
    }

    /** log4j2.properties as Log4j reads it at startup, with -Dhookrail.log.format set to the format (null: unset). */
    private Configuration production(String format) throws Exception {
        if (format == null) {
            System.clearProperty(LogFormat.PROPERTY);
        } else {
            System.setProperty(LogFormat.PROPERTY, format);
        }
        URL url = JsonLogLayoutTest.class.getResource("/log4j2.properties");
        try (InputStream in = url.openStream()) {
            Configuration configuration = new PropertiesConfigurationFactory()
                    .getConfiguration(new LoggerContext("json-log-layout-test"), new ConfigurationSource(in, url));
            configuration.initialize();
            return configuration;
        }
    }

    private Layout<?> jsonLayout() throws Exception {
        Appender json = production("json").getAppender("json");
        return assertInstanceOf(JsonTemplateLayout.class, json.getLayout());
    }

    private static LogEvent event(String format, Object argument, Throwable thrown, Map<String, String> mdc) {
        return Log4jLogEvent.newBuilder().setLoggerName("org.apache.camel.processor.errorhandler.DeadLetterChannel")
                .setLevel(Level.ERROR).setThreadName("Camel (camel-1) thread #4 - JmsConsumer[q]")
                .setTimeMillis(1_767_225_600_123L)
                .setMessage(new ParameterizedMessage(format, argument)).setThrown(thrown)
                .setContextData(new JdkMapAdapterStringMap(new HashMap<>(mdc), true)).build();
    }

    private static String render(Layout<?> layout, LogEvent event) {
        return new String(layout.toByteArray(event), StandardCharsets.UTF_8);
    }

    @Test
    void textIsTheDefaultAndJsonIsChosenByTheSystemPropertyInAnyCase() throws Exception {
        assertEquals(Set.of("console"), production(null).getRootLogger().getAppenders().keySet());
        assertEquals(Set.of("console"), production("text").getRootLogger().getAppenders().keySet());
        assertEquals(Set.of("json"), production("json").getRootLogger().getAppenders().keySet());
        assertEquals(Set.of("json"), production("JSON").getRootLogger().getAppenders().keySet());
        // a value Log4j cannot use still logs, as text (LogFormat warns about it)
        assertEquals(Set.of("console"), production("xml").getRootLogger().getAppenders().keySet());
        assertEquals(Set.of("console"), production("").getRootLogger().getAppenders().keySet());
    }

    @Test
    void oneLineOfJsonWithTheStandardFieldsAndTheMdcAtTopLevel() throws Exception {
        String line = render(jsonLayout(), event("Delivery of {} failed", "ORD-10001", null, MDC));
        assertTrue(line.endsWith("\n"), line);
        assertEquals(1, line.lines().count(), line);
        JsonNode json = JSON.readTree(line);
        assertEquals(OffsetDateTime.parse("2026-01-01T00:00:00.123Z").toInstant(),
                OffsetDateTime.parse(json.path("timestamp").asText()).toInstant(), line);
        assertTrue(json.path("timestamp").asText().endsWith("Z"), "not UTC: " + line);
        assertEquals("ERROR", json.path("level").asText());
        assertEquals("org.apache.camel.processor.errorhandler.DeadLetterChannel", json.path("logger").asText());
        assertEquals("Camel (camel-1) thread #4 - JmsConsumer[q]", json.path("thread").asText());
        assertEquals("Delivery of ORD-10001 failed", json.path("message").asText());
        assertEquals("cid-42", json.path("correlationId").asText());
        assertEquals("msg_1", json.path("eventId").asText());
        assertEquals("order-fulfilment", json.path("flow").asText());
        assertEquals("email.send", json.path("step").asText());
        assertEquals("hookrail", json.path("service").asText());
        assertFalse(json.has("exception") || json.has("exceptionClass"), "an exception without one: " + line);
        assertFalse(json.has("mdc") || json.has("camel.exchangeId"), "only the four MDC keys are written: " + line);
    }

    @Test
    void fieldsOfAnAbsentMdcKeyAreLeftOut() throws Exception {
        JsonNode json = JSON.readTree(render(jsonLayout(), event("Vert.x started", null, null, Map.of())));
        for (String field : new String[] {"correlationId", "eventId", "flow", "step"}) {
            assertFalse(json.has(field), field + " in " + json);
        }
        assertEquals("hookrail", json.path("service").asText());
    }

    @Test
    void theMessageIsMaskedAsOnTheConsole() throws Exception {
        LogEvent event = event("Failed delivery. Body: {}", BODY, null, MDC);
        String line = render(jsonLayout(), event);
        assertFalse(line.contains("amina.otieno@example.com"), line);
        assertFalse(line.contains("Amina Otieno"), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("Failed delivery. Body: {\"orderId\":\"ORD-10001\",\"customer\":{\"id\":\"CUS-501\","
                + "\"email\":\"***\",\"name\":\"***\"}}", json.path("message").asText());
        assertEquals(console("%mask{%msg}", event), json.path("message").asText());
    }

    @Test
    void theExceptionWithItsCausesAndStackIsMaskedAsOnTheConsole() throws Exception {
        Exception thrown = new IllegalStateException("cannot send to amina.otieno@example.com",
                new IllegalArgumentException("bad body " + BODY));
        LogEvent event = event("Delivery of {} failed", "ORD-10001", thrown, MDC);
        String line = render(jsonLayout(), event);
        assertEquals(1, line.lines().count(), "the stack must be escaped into the line: " + line);
        assertFalse(line.contains("amina.otieno@example.com"), line);
        assertFalse(line.contains("Amina Otieno"), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("Delivery of ORD-10001 failed", json.path("message").asText(), "the message alone");
        assertEquals("java.lang.IllegalStateException", json.path("exceptionClass").asText());
        String exception = json.path("exception").asText();
        assertTrue(exception.startsWith("java.lang.IllegalStateException: cannot send to a***@example.com"), exception);
        assertTrue(exception.contains("Caused by: java.lang.IllegalArgumentException: bad body {\"orderId\":"
                + "\"ORD-10001\",\"customer\":{\"id\":\"CUS-501\",\"email\":\"***\",\"name\":\"***\"}}"), exception);
        assertTrue(exception.contains("\tat io.hookrail.ops.logging.JsonLogLayoutTest"), "no stack: " + exception);
        assertFalse(exception.endsWith("\n"), exception);
        assertEquals(console("%mask{%xEx}", event).stripTrailing(), exception);
        // the same text the console writes after its first line
        String consoleLine = console(productionConsolePattern(), event);
        assertTrue(consoleLine.contains(exception), consoleLine);
    }

    private static String console(String pattern, LogEvent event) {
        return PatternLayout.newBuilder().withPattern(pattern).withAlwaysWriteExceptions(false)
                .withConfiguration(new DefaultConfiguration()).build()
                .toSerializable(event);
    }

    private static String productionConsolePattern() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = JsonLogLayoutTest.class.getResourceAsStream("/log4j2.properties")) {
            properties.load(in);
        }
        return properties.getProperty("appender.console.layout.pattern");
    }
}

package io.hookrail.ops.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpServer;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * With tracing on and no OpenTelemetry of its own in the registry, Hookrail builds the SDK from its keys and exports
 * over OTLP/HTTP to {@code hookrail.tracing.otlp.endpoint}; while nothing listens there, webhooks are accepted all
 * the same. The collector here is a loopback HTTP server that records what it is sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OtlpExportTest {

    /** What the collector received: the path and content type of each export. */
    record Export(String path, String contentType, int bytes) {
    }

    final List<Export> exports = new CopyOnWriteArrayList<>();
    final int collectorPort = AvailablePortFinder.getNextAvailable();
    TestDatabase database;
    HookrailInstance hookrail;
    HttpServer collector;

    @BeforeAll
    void startHookrail() {
        database = TestDatabase.embeddedDefault();
        hookrail = HookrailInstance.builder().database(database)
                .property("hookrail.tracing.enabled", "true")
                .property("hookrail.tracing.otlp.endpoint", "http://127.0.0.1:" + collectorPort)
                .property("hookrail.tracing.serviceName", "hookrail-otlp-test")
                .start();
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
        if (collector != null) {
            collector.stop(0);
        }
        database.close();
    }

    @Test
    void spansGoToTheOtlpEndpointAndAnUnreachableOneFailsNoWebhook() throws Exception {
        assertNotNull(hookrail.camelContext().hasService(org.apache.camel.telemetry.Tracer.class), "Camel's tracer");
        WebhookSender sender = new WebhookSender(hookrail.baseUrl());
        // nothing listens at the endpoint yet: the door answers as ever, before and after the exporter failed
        List<LogRecord> exporterLog = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                exporterLog.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger exporterLogger = Logger.getLogger("io.opentelemetry.exporter"); // the SDK logs through java.util.logging
        exporterLogger.addHandler(handler);
        try {
            assertEquals(202, lead(sender));
            assertTrue(Await.until(Duration.ofSeconds(30), () -> exporterLog.stream().anyMatch(record ->
                    record.getLevel().intValue() >= Level.WARNING.intValue())), "the exporter did not fail");
            assertEquals(202, lead(sender));
        } finally {
            exporterLogger.removeHandler(handler);
        }

        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", collectorPort), 0);
        collector.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            exports.add(new Export(exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body.length));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        assertEquals(202, lead(sender));
        // the SDK's batch processor exports every 5 seconds
        assertTrue(Await.until(Duration.ofSeconds(30), () -> !exports.isEmpty()), "no export reached the collector");
        Export export = exports.get(0);
        assertEquals("/v1/traces", export.path());
        assertEquals("application/x-protobuf", export.contentType());
        assertTrue(export.bytes() > 0);
    }

    private int lead(WebhookSender sender) throws IOException {
        return sender.standardWebhooks("crm", GoldenEvents.CRM_SECRET, "msg_" + UUID.randomUUID(),
                GoldenEvents.read("crm-lead-qualified.json")).statusCode();
    }
}

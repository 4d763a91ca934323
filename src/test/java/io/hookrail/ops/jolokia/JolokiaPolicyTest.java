package io.hookrail.ops.jolokia;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JolokiaPolicyTest {

    static final String HAWTIO = JolokiaPolicy.DEFAULT_ORIGIN;
    static final String QUEUE = "org.apache.activemq:type=Broker,brokerName=hookrail-61616,destinationType=Queue,"
            + "destinationName=";
    static final String ROUTE = "org.apache.camel:context=hookrail,type=routes,name=\"order-fulfilment\"";

    final JolokiaPolicy policy = new JolokiaPolicy(HAWTIO, false);
    final JolokiaPolicy operator = new JolokiaPolicy(HAWTIO, true);

    static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static String exec(String mbean, String operation) {
        return "{\"type\":\"exec\",\"mbean\":\"" + mbean.replace("\"", "\\\"") + "\",\"operation\":\"" + operation + "\"}";
    }

    @Test
    void onlyAPostFromHawtiosExactOriginToJolokiasOwnPathPasses() {
        byte[] version = body("{\"type\":\"version\"}");
        assertEquals(Optional.empty(), policy.check("POST", "", HAWTIO, version));
        assertEquals(Optional.empty(), policy.check("POST", "/", HAWTIO, version));
        for (String method : new String[] {"GET", "PUT", "OPTIONS", "DELETE", "HEAD"}) {
            assertEquals("jolokia-method", policy.check(method, "", HAWTIO, version).orElseThrow().type());
        }
        for (String origin : new String[] {null, "null", "", "http://127.0.0.1:8091", "http://localhost:8090",
                "https://127.0.0.1:8090", "http://127.0.0.1:8090/", "http://attacker.example"}) {
            JolokiaPolicy.Refusal refusal = policy.check("POST", "", origin, version).orElseThrow();
            assertEquals(403, refusal.status());
            assertEquals("jolokia-origin", refusal.type(), String.valueOf(origin));
        }
        assertEquals("jolokia-path", policy.check("POST", "/exec/java.lang:type=Memory/gc()", HAWTIO, version)
                .orElseThrow().type());
        assertEquals(400, policy.check("POST", "", HAWTIO, body("not json")).orElseThrow().status());
        assertEquals(400, policy.check("POST", "", HAWTIO, null).orElseThrow().status());
        assertEquals(400, policy.check("POST", "", HAWTIO, body("[1]")).orElseThrow().status());
    }

    @Test
    void browsingMessagesAndRouteLifecycleAreOperatorActions() {
        for (String request : new String[] {
                exec(QUEUE + "Consumer.order-fulfilment.VirtualTopic.order.placed", "browse()"),
                exec(QUEUE + "DLQ.order-fulfilment", "browseMessages()"),
                exec(QUEUE + "DLQ.order-fulfilment", "browseAsTable(java.lang.String)"),
                exec(QUEUE + "DLQ.order-fulfilment", "getMessage(java.lang.String)"),
                exec(QUEUE + "DLQ.refund,endpoint=Consumer,clientId=c,consumerId=x", "browse()"),
                exec("org.apache.camel:context=hookrail,type=endpoints,name=\"jms://queue:DLQ.refund\"", "browse()"),
                exec("org.apache.camel:context=hookrail,type=services,name=DeadLetterQueues",
                        "listDeadLetters(java.lang.String,java.lang.String)"),
                exec(ROUTE, "stop()"), exec(ROUTE, "start"), exec(ROUTE, "suspend()"), exec(ROUTE, "resume()"),
                exec(ROUTE, "stop(long)"),
                exec("org.apache.camel:context=hookrail,type=services,name=PollingService",
                        "rerun(java.lang.String,java.lang.String)"),
                "[{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"}," + exec(ROUTE, "stop()") + "]",
                "{\"type\":\"EXEC\",\"mbean\":\"" + ROUTE.replace("\"", "\\\"") + "\",\"operation\":\"stop()\"}"}) {
            JolokiaPolicy.Refusal refusal = policy.check("POST", "", HAWTIO, body(request)).orElseThrow(
                    () -> new AssertionError(request + " passed"));
            assertEquals(403, refusal.status());
            assertEquals("jolokia-operator-action", refusal.type());
            assertTrue(refusal.detail().contains(JolokiaPolicy.OPERATOR_KEY), refusal.detail());
            assertEquals(Optional.empty(), operator.check("POST", "", HAWTIO, body(request)), request);
        }
        for (String request : new String[] {
                exec(ROUTE, "dumpRouteAsXml()"),
                exec(QUEUE + "DLQ.order-fulfilment", "countMessages()"),
                exec("org.apache.camel:context=hookrail,type=services,name=DeadLetterQueues", "dlqDepth"),
                exec("org.apache.camel:context=hookrail,type=services,name=PollingService", "status(java.lang.String)"),
                "{\"type\":\"read\",\"mbean\":\"" + QUEUE + "DLQ.refund\",\"attribute\":\"QueueSize\"}"}) {
            assertEquals(Optional.empty(), policy.check("POST", "", HAWTIO, body(request)), request);
        }
    }

    @Test
    void theOriginIsSchemeHostAndPortOnly() {
        assertEquals("http://127.0.0.1:9090", new JolokiaPolicy(" http://127.0.0.1:9090 ", false).origin());
        for (String origin : new String[] {"", " ", "127.0.0.1:8090", "http://127.0.0.1:8090/hawtio",
                "ftp://127.0.0.1", "http://u@127.0.0.1:8090", "http://127.0.0.1:8090?x"}) {
            assertThrows(IllegalArgumentException.class, () -> new JolokiaPolicy(origin, false), origin);
        }
    }

    @Test
    void aRefusalsDetailIsBoundedAndFreeOfControlCharacters() {
        String hostile = "http://x.example/" + "a".repeat(500) + "\r\nSet-Cookie: x";
        String detail = policy.check("POST", "", hostile, body("{}")).orElseThrow().detail();
        assertTrue(detail.length() < 300, detail);
        assertTrue(detail.chars().noneMatch(Character::isISOControl), detail);
    }
}

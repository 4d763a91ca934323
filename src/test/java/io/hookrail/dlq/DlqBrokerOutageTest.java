package io.hookrail.dlq;

import java.net.http.HttpResponse;
import java.nio.file.Files;

import io.hookrail.ops.AdminTestUsers;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.StandaloneBroker;
import org.junit.jupiter.api.Test;

import static io.hookrail.ops.HttpAnswers.MAPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without a broker the dead-letter API answers 503 problem+json with Retry-After, and recovers with the broker. */
class DlqBrokerOutageTest {

    @Test
    void answers503WhileTheBrokerIsDown() throws Exception {
        try (StandaloneBroker broker = new StandaloneBroker(Files.createTempDirectory("hookrail-dlq-broker-")).start();
             HookrailInstance hookrail = AdminTestUsers.apply(HookrailInstance.builder())
                     .property("hookrail.broker.url", broker.url()).start();
             DlqFixture dlq = new DlqFixture(broker.url(), hookrail.baseUrl())) {
            assertEquals(200, dlq.get("/api/dlq", AdminTestUsers.VIEWER).statusCode());

            broker.stop();
            for (String path : new String[] {"/api/dlq", "/api/dlq/replay"}) {
                HttpResponse<String> response = path.endsWith("replay")
                        ? dlq.post(path, AdminTestUsers.OPERATOR, "{\"flow\": \"test-flow\"}")
                        : dlq.get(path, AdminTestUsers.VIEWER);
                assertEquals(503, response.statusCode(), path + ": " + response.body());
                assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
                assertTrue(response.headers().firstValue("Retry-After").isPresent());
                assertEquals("urn:hookrail:problem:broker-unavailable",
                        MAPPER.readTree(response.body()).get("type").asText());
            }
            // still 401 without a token: access is checked before the broker is asked
            assertEquals(401, dlq.get("/api/dlq", null).statusCode());

            broker.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            int status;
            do {
                Thread.sleep(200);
                status = dlq.get("/api/dlq", AdminTestUsers.VIEWER).statusCode();
            } while (status != 200 && System.nanoTime() < deadline);
            assertEquals(200, status, "the API did not recover with the broker");
        }
    }
}

package io.hookrail.flow;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.support.AdminClient;
import io.hookrail.support.Await;
import io.hookrail.support.GoldenEvents;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.SandboxClient;
import io.hookrail.support.SandboxClient.Effect;
import io.hookrail.support.Timelines;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/tutorial-new-flow.md works as written: every code block it says is a file (a {@code <!-- file: path -->} line
 * before it) is that repository file, every block it says is in a file ({@code <!-- file-contains: path -->}) is in
 * it, and the flow those files make holds a signed deletion for approval, then erases and confirms once, or only
 * notes a rejection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TutorialTest {

    private static final Path TUTORIAL = Path.of("docs/tutorial-new-flow.md");
    private static final Pattern FILE_BLOCK = Pattern.compile(
            "<!-- (file|file-contains): (\\S+) -->\\n```[a-z]*\\n(.*?)```", Pattern.DOTALL);
    private static final Path EVENT = Path.of("examples/tutorial/crm-customer-deleted.json");

    private record Block(String kind, Path file, String text) {
    }

    private HookrailInstance hookrail;
    private WebhookSender sender;
    private SandboxClient sandbox;
    private AdminClient approver;

    @BeforeAll
    void startHookrail() {
        hookrail = HookrailInstance.builder().start();
        sender = new WebhookSender(hookrail.baseUrl());
        sandbox = new SandboxClient(hookrail.baseUrl());
        approver = new AdminClient(hookrail.baseUrl(), AdminClient.APPROVER_TOKEN);
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
        }
    }

    @Test
    void everyFileTheTutorialShowsIsTheRepositorysFile() throws IOException {
        List<Block> blocks = blocks();
        assertEquals(List.of("src/main/resources/schemas/customer.deleted/v1.json",
                        "src/main/resources/application.properties", "src/main/resources/policies.yaml",
                        "src/main/resources/routes/customer-deletion.camel.yaml", EVENT.toString()),
                blocks.stream().map(b -> b.file().toString()).toList());
        for (Block block : blocks) {
            String content = Files.readString(block.file(), StandardCharsets.UTF_8);
            if (block.kind().equals("file")) {
                assertEquals(content, block.text(), block.file() + " differs from the tutorial");
            } else {
                assertTrue(content.contains(block.text()), block.file() + " does not contain:\n" + block.text());
            }
        }
    }

    @Test
    void anApprovedDeletionErasesTheContactAndConfirmsOnce() throws Exception {
        String customerId = "CUS-" + UUID.randomUUID();
        String eventId = send(customerId);
        JsonNode pending = awaitPending(customerId);
        assertEquals("customer-deletion-approval", pending.path("rule").asText(), pending.toString());
        assertEquals(List.of(), sandbox.operations(customerId), "a side effect before the approval");

        HttpResponse<String> approved = approver.postRaw("/api/approvals/" + pending.path("id").asText() + "/approve",
                "{\"comment\":\"identity checked\"}");
        assertEquals(200, approved.statusCode(), approved.body());
        Timelines.awaitStep(approver, eventId, "outcome", "completed");
        List<Effect> ledger = sandbox.ledger(customerId);
        assertEquals(List.of("crm contact.erase", "email email.send"),
                ledger.stream().map(e -> e.system() + " " + e.operation()).toList());
        assertTrue(ledger.get(0).idempotencyKey().startsWith("customer-deletion:" + customerId + ":contact.erase:"),
                ledger.get(0).idempotencyKey());
    }

    @Test
    void aRejectedDeletionOnlyNotesTheReasonInTheCrm() throws Exception {
        String customerId = "CUS-" + UUID.randomUUID();
        String eventId = send(customerId);
        JsonNode pending = awaitPending(customerId);
        HttpResponse<String> rejected = approver.postRaw("/api/approvals/" + pending.path("id").asText() + "/reject",
                "{\"comment\":\"identity not confirmed\"}");
        assertEquals(200, rejected.statusCode(), rejected.body());
        Timelines.awaitStep(approver, eventId, "outcome", "rejected");
        assertEquals(List.of("note.add"), sandbox.operations(customerId));
    }

    private String send(String customerId) throws IOException {
        String body = Files.readString(EVENT, StandardCharsets.UTF_8).replace("CUS-4711", customerId);
        assertFalse(body.contains("CUS-4711"));
        String eventId = "msg_" + UUID.randomUUID();
        HttpResponse<String> response = sender.standardWebhooks("crm", GoldenEvents.CRM_SECRET, eventId,
                body.getBytes(StandardCharsets.UTF_8));
        assertEquals(202, response.statusCode(), response.body());
        return eventId;
    }

    private JsonNode awaitPending(String customerId) throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        assertTrue(Await.until(() -> {
            for (JsonNode item : approver.get("/api/approvals?state=pending&flow=customer-deletion").path("items")) {
                if (customerId.equals(item.path("businessId").asText())) {
                    found[0] = item;
                    return true;
                }
            }
            return false;
        }), customerId + " not held for approval");
        return found[0];
    }

    private static List<Block> blocks() throws IOException {
        Matcher block = FILE_BLOCK.matcher(Files.readString(TUTORIAL, StandardCharsets.UTF_8));
        List<Block> blocks = new ArrayList<>();
        while (block.find()) {
            blocks.add(new Block(block.group(1), Path.of(block.group(2)), block.group(3)));
        }
        return blocks;
    }
}

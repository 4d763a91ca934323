package io.hookrail.ingest;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import io.hookrail.support.GoldenEvents;
import io.hookrail.support.GoldenEvents.Golden;
import io.hookrail.support.HookrailInstance;
import io.hookrail.support.TestDatabase;
import io.hookrail.support.WebhookSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Where the project's shared golden events sit beside the clone ({@code ../shared/golden}, as on the developers'
 * machines and in CI), each is accepted as it is and matches the repository's copy in {@code examples/events}.
 * A user's clone has no such folder: then every case is reported as skipped, never passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedGoldenCrossCheckTest {

    static final Path SHARED_GOLDEN = Path.of("..", "shared", "golden");

    TestDatabase database;
    HookrailInstance hookrail;

    @BeforeAll
    void startHookrailWhenThereIsSomethingToCheck() {
        if (Files.isDirectory(SHARED_GOLDEN)) {
            database = TestDatabase.embeddedDefault();
            hookrail = HookrailInstance.builder().database(database).start();
        }
    }

    @AfterAll
    void stopHookrail() {
        if (hookrail != null) {
            hookrail.close();
            database.close();
        }
    }

    static Stream<Golden> goldenEvents() {
        return GoldenEvents.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenEvents")
    void sharedGoldenEventIsAcceptedAsItIsAndMatchesTheRepositoryCopy(Golden golden) {
        assumeTrue(Files.isDirectory(SHARED_GOLDEN),
                "skipped: " + SHARED_GOLDEN.toAbsolutePath().normalize() + " is absent (a plain clone has none)");
        byte[] shared = GoldenEvents.read(SHARED_GOLDEN, golden.file());
        assertArrayEquals(shared, golden.body(), golden + " in examples/events differs from " + SHARED_GOLDEN);

        WebhookSender sender = new WebhookSender(hookrail.baseUrl());
        HttpResponse<String> response = golden.isStripe()
                ? sender.stripe(golden.source(), golden.secret(), shared)
                : sender.standardWebhooks(golden.source(), golden.secret(), "msg_" + UUID.randomUUID(), shared);
        assertEquals(202, response.statusCode(), golden + ": " + response.body());
    }
}

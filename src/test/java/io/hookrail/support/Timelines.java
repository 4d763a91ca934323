package io.hookrail.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads an event's timeline ({@code GET /api/events/{id}}) from a running Hookrail and waits on its entries. */
public final class Timelines {

    private Timelines() {
    }

    /** The steps of the event's timeline, oldest first; empty while it has none. */
    public static List<JsonNode> steps(AdminClient admin, String eventId) {
        List<JsonNode> steps = new ArrayList<>();
        try {
            admin.get("/api/events/" + eventId).path("steps").forEach(steps::add);
        } catch (IllegalStateException notYet) {
            // 404 until the timeline's writer has flushed the event's first entries
        }
        return steps;
    }

    /** Waits until the event's timeline has an entry of this kind whose outcome passes the test; returns it. */
    public static JsonNode awaitStep(AdminClient admin, String eventId, String kind, Predicate<String> outcome)
            throws InterruptedException {
        JsonNode[] found = new JsonNode[1];
        boolean seen = Await.until(() -> {
            for (JsonNode step : steps(admin, eventId)) {
                if (kind.equals(step.path("kind").asText()) && outcome.test(step.path("outcome").asText())) {
                    found[0] = step;
                    return true;
                }
            }
            return false;
        });
        if (!seen) {
            throw new AssertionError("no " + kind + " entry on the timeline of " + eventId + ": " + steps(admin, eventId));
        }
        return found[0];
    }

    /** Waits until the event's timeline has an entry of this kind and outcome; returns it. */
    public static JsonNode awaitStep(AdminClient admin, String eventId, String kind, String outcome)
            throws InterruptedException {
        return awaitStep(admin, eventId, kind, outcome::equals);
    }
}

package io.hookrail.dlq;

import io.hookrail.ops.ApiProblem;

/** The refusals of a parking queue's API ({@code /api/dlq}, {@code /api/quarantine}), in its own words. */
public final class DlqProblems {

    private DlqProblems() {
    }

    static ApiProblem notFound(String id) {
        return notFound(ParkingQueue.DEAD_LETTERS, id);
    }

    public static ApiProblem notFound(ParkingQueue queue, String id) {
        return new ApiProblem(404, queue.problemType() + "-not-found", "No such " + queue.noun(),
                "There is no " + queue.noun() + " with id " + id);
    }

    static ApiProblem notReplayable(ParkingQueue queue, String id, String reason) {
        return new ApiProblem(409, queue.problemType() + "-not-replayable", capitalised(queue.noun())
                + " cannot be replayed", capitalised(queue.noun()) + " " + id + " cannot be replayed: " + reason);
    }

    private static String capitalised(String noun) {
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
    }
}

package io.hookrail.dlq;

import io.hookrail.ops.ApiProblem;

/** The dead-letter API's own refusals. */
final class DlqProblems {

    private DlqProblems() {
    }

    static ApiProblem notFound(String id) {
        return new ApiProblem(404, "dead-letter-not-found", "No such dead letter",
                "There is no dead letter with id " + id);
    }

    static ApiProblem notReplayable(String id, String reason) {
        return new ApiProblem(409, "dead-letter-not-replayable", "Dead letter cannot be replayed",
                "Dead letter " + id + " cannot be replayed: " + reason);
    }
}

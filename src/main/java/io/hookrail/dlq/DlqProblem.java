package io.hookrail.dlq;

/** A refusal of the dead-letter API, answered as problem+json with its status. */
public final class DlqProblem extends Exception {

    private final int status;
    private final String type;
    private final String title;

    DlqProblem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    static DlqProblem badRequest(String detail) {
        return new DlqProblem(400, "bad-request", "Bad request", detail);
    }

    static DlqProblem notFound(String id) {
        return new DlqProblem(404, "dead-letter-not-found", "No such dead letter",
                "There is no dead letter with id " + id);
    }

    static DlqProblem notReplayable(String id, String reason) {
        return new DlqProblem(409, "dead-letter-not-replayable", "Dead letter cannot be replayed",
                "Dead letter " + id + " cannot be replayed: " + reason);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}

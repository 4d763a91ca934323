package io.hookrail.audit;

/** A refusal of the audit API, answered as problem+json with its status. */
final class AuditProblem extends Exception {

    private final int status;
    private final String type;
    private final String title;

    private AuditProblem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    static AuditProblem badRequest(String detail) {
        return new AuditProblem(400, "bad-request", "Bad request", detail);
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }

    String title() {
        return title;
    }
}

package io.hookrail.sandbox;

import java.sql.SQLException;

import io.hookrail.ops.Echo;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Why a sandbox call fails: an HTTP status plus the problem+json fields, as a real downstream API would answer. */
final class SandboxRejection extends Exception {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxRejection.class);

    private final int status;
    private final String problemType;
    private final String title;
    /** Seconds for {@code Retry-After}, or null when the answer has none. */
    private final Long retryAfterSeconds;

    private SandboxRejection(int status, String problemType, String title, String detail) {
        this(status, problemType, title, detail, null);
    }

    private SandboxRejection(int status, String problemType, String title, String detail, Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.problemType = problemType;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static SandboxRejection invalid(String detail) {
        return new SandboxRejection(400, "invalid-request", "Invalid sandbox request", detail);
    }

    static SandboxRejection notLoopback() {
        return new SandboxRejection(403, "sandbox-loopback-only", "Sandbox for this machine only",
                "The sandbox answers callers on this machine (a loopback address) only");
    }

    static SandboxRejection missingIdempotencyKey() {
        return new SandboxRejection(400, "missing-idempotency-key", "Idempotency-Key required",
                "Every mutating call needs an Idempotency-Key header of 1 to " + SandboxCalls.MAX_KEY_LENGTH
                        + " characters");
    }

    static SandboxRejection keyReused(String system, String key) {
        return new SandboxRejection(422, "idempotency-key-reused", "Idempotency-Key reused with another request",
                "Key '" + key + "' of the " + system + " sandbox was first used with a different request");
    }

    static SandboxRejection down(SandboxFaults.Fault fault) {
        return new SandboxRejection(503, "downstream-down", "Downstream system unavailable",
                "The " + faulty(fault) + " is down (injected fault); nothing was done");
    }

    static SandboxRejection injectedError(SandboxFaults.Fault fault) {
        return new SandboxRejection(500, "downstream-error", "Downstream system failed",
                "The " + faulty(fault) + " failed the call (injected fault); nothing was done");
    }

    static SandboxRejection throttled(SandboxFaults.Fault fault) {
        return new SandboxRejection(429, "downstream-throttled", "Too Many Requests",
                "The " + faulty(fault) + " throttled the call (injected fault); nothing was done, retry after "
                        + fault.retryAfterSeconds() + " s", fault.retryAfterSeconds());
    }

    static SandboxRejection unknownSystem(String system) {
        return new SandboxRejection(404, "unknown-system", "Unknown sandbox system",
                "There is no " + Echo.safe(system) + " sandbox; the systems are " + SandboxOperation.systems());
    }

    static SandboxRejection requestNotFound(String system, String key) {
        return new SandboxRejection(404, "request-not-found", "No request with this Idempotency-Key",
                "No call to the " + system + " sandbox with Idempotency-Key '" + Echo.safe(key, 300)
                        + "' performed its effect");
    }

    /** What a fault hit, as the detail names it: the system, or the one operation of it. */
    private static String faulty(SandboxFaults.Fault fault) {
        return fault.operation() == null ? fault.system() + " sandbox"
                : fault.operation() + " operation of the " + fault.system() + " sandbox";
    }

    /** Answers whatever a sandbox route caught; the routes call it for every exception. */
    static void answer(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (caught instanceof SandboxRejection rejection) {
            // a refusal is how a flow learns its request is wrong, or that a fault is on: worth a line in the log
            LOG.info("Sandbox call refused with {}: {}", rejection.status, rejection.getMessage());
            Message answer = HttpAnswers.problem(exchange, rejection.status, rejection.problemType, rejection.title,
                    rejection.getMessage(), null);
            if (rejection.retryAfterSeconds != null) {
                answer.setHeader("Retry-After", String.valueOf(rejection.retryAfterSeconds));
            }
        } else if (caught instanceof SQLException) {
            // like a real system whose database is away: nothing was done, the caller retries
            LOG.warn("Sandbox store unavailable: {}", caught.getMessage());
            HttpAnswers.problem(exchange, 503, "unavailable", "Sandbox store unavailable",
                    "The sandbox cannot reach its store; nothing was done, retry later", null);
        } else {
            LOG.error("Sandbox call failed unexpectedly", caught);
            HttpAnswers.problem(exchange, 500, "internal-error", "Internal error",
                    "The sandbox call failed; retry later", null);
        }
    }
}

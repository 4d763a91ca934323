package io.hookrail.ingest;

import java.util.List;

import io.hookrail.ops.Echo;

/**
 * Why the gateway refuses a delivery: an HTTP status plus the RFC 9457 problem fields the sender reads.
 */
public final class WebhookRejection extends Exception {

    /** One violation of the event's data contract or envelope, located by JSON Pointer. */
    public record Violation(String pointer, String message) {
    }

    private final int status;
    private final String problemType;
    private final String title;
    private final List<Violation> violations;
    private final Integer retryAfterSeconds;

    private WebhookRejection(int status, String problemType, String title, String detail, List<Violation> violations,
                             Integer retryAfterSeconds, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.problemType = problemType;
        this.title = title;
        this.violations = List.copyOf(violations);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static WebhookRejection unknownSource(String source) {
        return new WebhookRejection(404, "unknown-source", "Unknown webhook source",
                "No webhook source named '" + Echo.safe(source) + "' is configured", List.of(), null, null);
    }

    public static WebhookRejection unsupportedMediaType(String contentType) {
        return new WebhookRejection(415, "unsupported-media-type", "Webhook body is not JSON",
                "Content-Type must be application/json, was " + (contentType == null ? "missing" : "'" + Echo.safe(contentType) + "'"),
                List.of(), null, null);
    }

    /** 415: a JSON media type with a charset other than UTF-8, the only encoding of JSON (RFC 8259). */
    public static WebhookRejection unsupportedCharset(String contentType) {
        return new WebhookRejection(415, "unsupported-media-type", "Webhook body is not UTF-8 JSON",
                "Content-Type must be application/json in UTF-8 (no charset, or charset=utf-8), was '"
                        + Echo.safe(contentType) + "'", List.of(), null, null);
    }

    public static WebhookRejection badSignature(String reason, Throwable cause) {
        return new WebhookRejection(401, "invalid-signature", "Webhook signature rejected", Echo.safe(reason, 200), List.of(),
                null, cause);
    }

    /**
     * 401: the source requires a client certificate and the connection's is missing or not the pinned one; checked
     * before the HMAC.
     */
    public static WebhookRejection clientCertificateRejected(String source, String reason) {
        return new WebhookRejection(401, "client-certificate-rejected", "Client certificate rejected",
                "Source '" + source + "' requires its pinned TLS client certificate: " + reason, List.of(), null, null);
    }

    /**
     * 401: a query parameter named like a signature, id or authentication header. Such a parameter would read like
     * the header in Camel, so the delivery is refused instead of being verified with material nobody signed.
     */
    public static WebhookRejection reservedQueryParameter(String name) {
        return new WebhookRejection(401, "signature-material-in-query", "Signature material in the query string",
                "The query parameter '" + Echo.safe(name) + "' is named like a signature, event id or authentication "
                        + "header; send it as a request header, never in the query string", List.of(), null, null);
    }

    /** 401: a signature, id or timestamp header sent more than once, which would leave it ambiguous what was signed. */
    public static WebhookRejection repeatedHeader(String name) {
        return new WebhookRejection(401, "invalid-signature", "Webhook signature rejected",
                "The " + name + " header is sent more than once", List.of(), null, null);
    }

    /**
     * 400: the event id is not canonical. It is refused, never trimmed or cut into another id, since the id is both
     * what was signed and what is deduplicated.
     */
    public static WebhookRejection invalidEventId(String where, String id) {
        String shape = id.length() > EventIds.MAX_LENGTH ? id.length() + " characters long"
                : "'" + Echo.safe(id) + "'";
        return new WebhookRejection(400, "invalid-event-id", "Event id is not canonical",
                "The event id in " + where + " must match " + EventIds.SYNTAX + " (no spaces, no control characters, "
                        + "nothing trimmed); was " + shape,
                List.of(new Violation(where.startsWith("/") ? where : "", "event id must match " + EventIds.SYNTAX)),
                null, null);
    }

    public static WebhookRejection clientRateLimited(long retryAfterSeconds) {
        return new WebhookRejection(429, "rate-limited", "Too many webhooks from this client address",
                "This client address is over its rate limit; the event was not accepted, retry after "
                        + retryAfterSeconds + " s", List.of(), (int) Math.min(retryAfterSeconds, Integer.MAX_VALUE), null);
    }

    public static WebhookRejection malformed(String detail, List<Violation> violations) {
        return new WebhookRejection(400, "malformed-event", "Webhook body is not a valid event", detail, violations, null,
                null);
    }

    public static WebhookRejection contractViolated(String eventType, List<Violation> violations) {
        return new WebhookRejection(400, "contract-violation", "Event data violates its contract",
                violations.size() + " violation(s) of the " + eventType + " data contract", violations, null, null);
    }

    public static WebhookRejection typeNotAllowed(String source, String eventType) {
        return new WebhookRejection(422, "event-type-not-allowed", "Event type not allowed for this source",
                "Source '" + source + "' may not send events of type '" + Echo.safe(eventType) + "'", List.of(), null, null);
    }

    public static WebhookRejection tooLarge(long limitBytes) {
        return new WebhookRejection(413, "payload-too-large", "Webhook body too large",
                "The body exceeds the limit of " + limitBytes + " bytes", List.of(), null, null);
    }

    public static WebhookRejection rateLimited(String source, long retryAfterSeconds) {
        return new WebhookRejection(429, "rate-limited", "Too many webhooks from this source",
                "Source '" + source + "' is over its rate limit; the event was not accepted, retry after "
                        + retryAfterSeconds + " s", List.of(), (int) Math.min(retryAfterSeconds, Integer.MAX_VALUE), null);
    }

    public static WebhookRejection unavailable(String what, int retryAfterSeconds, Throwable cause) {
        return new WebhookRejection(503, "unavailable", "Hookrail cannot persist the event right now",
                "The " + what + " is unavailable; the event was not accepted, retry later", List.of(), retryAfterSeconds,
                cause);
    }

    public static WebhookRejection shuttingDown(int retryAfterSeconds) {
        return new WebhookRejection(503, "unavailable", "Hookrail is shutting down",
                "This instance is stopping; the event was not accepted, retry later", List.of(), retryAfterSeconds, null);
    }

    public static WebhookRejection internalError() {
        return new WebhookRejection(500, "internal-error", "Internal error",
                "The event was not accepted; retry later", List.of(), null, null);
    }

    public int status() {
        return status;
    }

    /** The kind of problem, published as the RFC 9457 {@code type} {@code urn:hookrail:problem:<kind>}. */
    public String problemType() {
        return problemType;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public List<Violation> violations() {
        return violations;
    }

    /** Seconds for {@code Retry-After}, or null when a retry of the same request cannot succeed. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}

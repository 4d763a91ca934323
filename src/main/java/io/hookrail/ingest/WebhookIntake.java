package io.hookrail.ingest;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ingest.signature.Delivery;
import io.hookrail.ingest.signature.GitHubScheme;
import io.hookrail.ingest.signature.InvalidSignatureException;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.ingest.signature.StripeScheme;
import io.hookrail.broker.EventTopics;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.Echo;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ops.HttpRequests;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's steps, each a {@link org.apache.camel.Processor} of route {@code webhook-ingest}, in the order a
 * delivery meets them: cheap refusals first, the signature before the body is parsed, persistence last.
 */
public final class WebhookIntake {

    /** Exchange property holding the {@link WebhookSource}. */
    static final String SOURCE = "hookrailSource";
    /** Exchange property holding the {@link IncomingEvent}. */
    static final String EVENT = "hookrailEvent";
    /** Exchange property with the plaintext CloudEvent of an accepted (not duplicate) event, for the recorder. */
    static final String ACCEPTED = "hookrailAccepted";
    /** Exchange property with the event id; also in the MDC of every log line. */
    public static final String EVENT_ID = "eventId";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);
    /** The {@code outcome} label of each refusal, by status. */
    private static final Map<Integer, String> REJECTION_OUTCOMES = Map.of(400, "bad_request", 401, "unauthorized",
            404, "unknown_source", 413, "too_large", 415, "unsupported_media_type", 422, "type_not_allowed",
            429, "rate_limited", 503, "unavailable");
    private static final String PATH_PREFIX = "/webhooks/";
    private static final Pattern SOURCE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern JSON_MEDIA_TYPE = Pattern.compile("application/([a-z0-9.+-]+\\+)?json");
    /** The headers a scheme reads: each must come once, from the request's headers. */
    private static final List<String> SIGNATURE_HEADERS = List.of(StandardWebhooksScheme.ID_HEADER,
            StandardWebhooksScheme.TIMESTAMP_HEADER, StandardWebhooksScheme.SIGNATURE_HEADER,
            StripeScheme.SIGNATURE_HEADER, GitHubScheme.SIGNATURE_HEADER, GitHubScheme.DELIVERY_HEADER,
            GitHubScheme.EVENT_HEADER);
    /**
     * Query parameter names (compared stripped, in lower case) that refuse a delivery: platform-http copies query
     * parameters into Camel headers, so each would read like the request header of that name. Names starting with
     * {@code camel} are refused too.
     */
    static final Set<String> RESERVED_QUERY_NAMES = Set.copyOf(java.util.stream.Stream.concat(
            SIGNATURE_HEADERS.stream(), java.util.stream.Stream.of("authorization", "content-type",
                    HttpAnswers.CORRELATION_HEADER))
            .map(name -> name.toLowerCase(Locale.ROOT)).toList());

    private final WebhookSources sources;
    private final EventContracts contracts;
    private final SourceRateLimits rateLimits;
    private final ClientRateLimits clientLimits;
    private final ClientCertificates clientCertificates;
    private final EventAdmission admission;
    private final Clock clock;
    private final HookrailMetrics metrics;
    private final EventTimeline timeline;

    public WebhookIntake(WebhookSources sources, EventContracts contracts, SourceRateLimits rateLimits,
                         ClientRateLimits clientLimits, ClientCertificates clientCertificates, EventAdmission admission, Clock clock, HookrailMetrics metrics,
                         EventTimeline timeline) {
        this.sources = sources;
        this.contracts = contracts;
        this.rateLimits = rateLimits;
        this.clientLimits = clientLimits;
        this.clientCertificates = clientCertificates;
        this.admission = admission;
        this.clock = clock;
        this.metrics = metrics;
        this.timeline = timeline;
    }

    /**
     * 429 for a client address over its rate limit: the first step, before any parsing or HMAC. Answered without an
     * exception (a flood is cheap), and counted under the source the path names when it is a configured one.
     */
    public void limitClient(Exchange exchange) {
        long retryAfter = clientLimits.tryAcquire(HttpRequests.clientAddress(exchange));
        if (retryAfter == 0) {
            return;
        }
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String name = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        metrics.webhookReceived(sources.find(name).map(WebhookSource::name).orElse("unknown"), "unknown",
                "rate_limited");
        WebhookResponses.problem(exchange, WebhookRejection.clientRateLimited(retryAfter));
        exchange.setRouteStop(true);
    }

    /**
     * 401 for a query parameter named like a signature, id, correlation or authentication header, or for one of
     * those headers sent twice: what is verified must be exactly the request's single header.
     */
    public void refuseHeaderLookalikes(Exchange exchange) throws WebhookRejection {
        String reserved = HttpRequests.reservedQueryParameter(exchange, RESERVED_QUERY_NAMES);
        if (reserved != null) {
            throw WebhookRejection.reservedQueryParameter(reserved);
        }
        for (String header : SIGNATURE_HEADERS) {
            if (HttpRequests.headerCount(exchange, header) > 1) {
                throw WebhookRejection.repeatedHeader(header);
            }
        }
    }

    /** 404 for an unknown source, 415 for a body that does not say it is JSON, or says it is not UTF-8. */
    public void resolveSource(Exchange exchange) throws WebhookRejection {
        Message message = exchange.getMessage();
        // from the path Camel matched, not the "source" header: a request header of that name must not pick it
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        String name = path.startsWith(PATH_PREFIX) ? path.substring(PATH_PREFIX.length()) : "";
        WebhookSource source = (name == null || !SOURCE_NAME.matcher(name).matches()) ? null
                : sources.find(name).orElse(null);
        if (source == null) {
            throw WebhookRejection.unknownSource(String.valueOf(name));
        }
        exchange.setProperty(SOURCE, source);
        String contentType = HttpRequests.header(exchange, Exchange.CONTENT_TYPE);
        String[] parts = contentType == null ? new String[] {""} : contentType.split(";");
        String mediaType = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!JSON_MEDIA_TYPE.matcher(mediaType).matches()) {
            throw WebhookRejection.unsupportedMediaType(contentType);
        }
        for (int i = 1; i < parts.length; i++) {
            // JSON is UTF-8 (RFC 8259): a body declared in another charset is refused rather than read as UTF-8
            String[] parameter = parts[i].split("=", 2);
            if (parameter[0].trim().equalsIgnoreCase("charset") && (parameter.length < 2
                    || !parameter[1].trim().replace("\"", "").equalsIgnoreCase("utf-8"))) {
                throw WebhookRejection.unsupportedCharset(contentType);
            }
        }
        // read the body once, as the exact bytes that were signed
        byte[] body = message.getBody(byte[].class);
        message.setBody(body == null ? new byte[0] : body);
    }

    /**
     * 401 when the source requires a TLS client certificate and the connection has none, or not the pinned one:
     * checked before the HMAC, and like a bad signature it takes no token of the source's rate limit.
     */
    public void checkClientCertificate(Exchange exchange) throws WebhookRejection {
        clientCertificates.check(exchange.getProperty(SOURCE, WebhookSource.class), exchange);
    }

    /**
     * 400 for a Standard Webhooks {@code webhook-id} that is not canonical ({@link EventIds}), before the signature
     * is checked: the id is signed and deduplicated as sent, so a padded, oversized or control-character id is refused,
     * never trimmed into another one.
     */
    public void checkEventId(Exchange exchange) throws WebhookRejection {
        WebhookSource source = exchange.getProperty(SOURCE, WebhookSource.class);
        if (StandardWebhooksScheme.NAME.equals(source.scheme().name())) {
            String id = HttpRequests.header(exchange, StandardWebhooksScheme.ID_HEADER);
            if (id != null) {
                EventIds.require(id, "header " + StandardWebhooksScheme.ID_HEADER);
            }
        }
    }

    /** 401 unless the raw body is signed with one of the source's active secrets, within the time tolerance. */
    public void verifySignature(Exchange exchange) throws WebhookRejection {
        WebhookSource source = exchange.getProperty(SOURCE, WebhookSource.class);
        try {
            source.scheme().verify(delivery(exchange), source.secrets(), clock.instant());
        } catch (InvalidSignatureException e) {
            throw WebhookRejection.badSignature(e.getMessage(), e);
        }
    }

    /**
     * 400 for a body that is not UTF-8 JSON, not storable text or not an event, 422 for an event type the source may
     * not send.
     */
    public void readEvent(Exchange exchange) throws WebhookRejection {
        WebhookSource source = exchange.getProperty(SOURCE, WebhookSource.class);
        JsonNode body;
        try {
            // parsed from strictly decoded text: from bytes Jackson would guess UTF-16/32 and take overlong UTF-8
            body = JsonMapping.MAPPER.readTree(JsonText.decode(exchange.getMessage().getBody(byte[].class)));
        } catch (JsonProcessingException e) {
            throw WebhookRejection.malformed("The body is not valid JSON: " + Echo.safe(e.getOriginalMessage(), 200),
                    List.of());
        } catch (IOException e) {
            throw WebhookRejection.malformed("The body is not valid JSON", List.of());
        }
        if (body == null || !body.isObject()) {
            throw WebhookRejection.malformed("The body must be a JSON object", List.of());
        }
        String unstorable = JsonText.firstUnstorable(body);
        if (unstorable != null) {
            throw WebhookRejection.malformed("The body holds a NUL character or an unpaired surrogate, which no store "
                    + "keeps", List.of(new WebhookRejection.Violation(Echo.safe(unstorable, 200),
                    "no U+0000 and no unpaired surrogate (\\ud800-\\udfff) in names or strings")));
        }
        IncomingEvent event = EventEnvelope.forScheme(source.scheme().name()).read(delivery(exchange), body, clock.instant());
        exchange.setProperty(EVENT, event);
        exchange.setProperty(EVENT_ID, event.id());
        if (!source.allows(event.type())) {
            throw WebhookRejection.typeNotAllowed(source.name(), event.type());
        }
    }

    /**
     * 400 for a declared {@code dataschema} the type does not have, or listing every violation of the contract the
     * event declares (v1 when it declares none).
     */
    public void checkContract(Exchange exchange) throws WebhookRejection {
        IncomingEvent event = contracts.resolve(exchange.getProperty(EVENT, IncomingEvent.class));
        exchange.setProperty(EVENT, event);
        List<WebhookRejection.Violation> violations = contracts.violations(event);
        if (!violations.isEmpty()) {
            throw WebhookRejection.contractViolated(event.type(), violations);
        }
    }

    /** 202 once the event is persisted on the broker, 200 for an event accepted before, 503 when it cannot be kept. */
    public void admit(Exchange exchange) throws WebhookRejection {
        WebhookSource source = exchange.getProperty(SOURCE, WebhookSource.class);
        IncomingEvent event = exchange.getProperty(EVENT, IncomingEvent.class);
        CloudEvent normalised = CloudEvent.of(event, source.name(), exchange.getProperty(CorrelationIds.PROPERTY, String.class));
        String correlationId = exchange.getProperty(CorrelationIds.PROPERTY, String.class);
        // the timeline gets the instant before the send: a flow may consume the event before admit() returns
        Instant persisting = clock.instant();
        if (admission.admit(source.name(), event, normalised) == EventAdmission.Outcome.ACCEPTED) {
            LOG.info("Accepted {} event {} from {}", event.type(), event.id(), source.name());
            observe(exchange, persisting, source, event, "accepted", "from " + source.name());
            timeline.record(persisting, event.id(), correlationId, "published", null, null, "persisted", null,
                    "on " + EventTopics.topic(event.type()));
            exchange.setProperty(ACCEPTED, normalised.json());
            WebhookResponses.accepted(exchange, event.id());
        } else {
            LOG.info("Duplicate {} event {} from {} answered as already accepted", event.type(), event.id(), source.name());
            observe(exchange, persisting, source, event, "duplicate", "from " + source.name() + ", accepted before");
            WebhookResponses.duplicate(exchange, event.id());
        }
    }

    /**
     * 429 for a source over its rate limit, answered (and counted) without an exception. After the signature: only
     * verified deliveries take a token, so an unsigned flood cannot use up a real sender's allowance.
     */
    public void limitRate(Exchange exchange) {
        if (!rateLimits.admits(exchange)) {
            metrics.webhookReceived(exchange.getProperty(SOURCE, WebhookSource.class).name(), "unknown", "rate_limited");
        }
    }

    /** Answers a refused delivery with problem+json; the route calls it for every exception. */
    public void reject(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        WebhookRejection rejection;
        if (caught instanceof WebhookRejection known) {
            rejection = known;
            LOG.info("Rejected delivery with {}: {}", rejection.status(), Echo.safe(rejection.detail(), 300));
        } else {
            rejection = WebhookRejection.internalError();
            LOG.error("Delivery failed unexpectedly; answered 500 so the sender retries", caught);
        }
        observe(exchange, clock.instant(), exchange.getProperty(SOURCE, WebhookSource.class),
                exchange.getProperty(EVENT, IncomingEvent.class), REJECTION_OUTCOMES.getOrDefault(rejection.status(), "error"),
                rejection.detail());
        WebhookResponses.problem(exchange, rejection);
    }

    /** Counts the delivery and puts it on its event's timeline; labels only name sources and types Hookrail knows. */
    private void observe(Exchange exchange, Instant at, WebhookSource source, IncomingEvent event, String outcome,
                         String detail) {
        String type = source != null && event != null && source.allows(event.type()) ? event.type() : "unknown";
        metrics.webhookReceived(source == null ? "unknown" : source.name(), type, outcome);
        if (event != null) {
            timeline.record(at, event.id(), exchange.getProperty(CorrelationIds.PROPERTY, String.class), "received",
                    null, null, outcome, null, detail);
        }
    }

    private static Delivery delivery(Exchange exchange) {
        Message message = exchange.getMessage();
        byte[] body = message.getBody(byte[].class);
        return new Delivery() {
            @Override
            public String header(String name) {
                // the request's own header (case-insensitive), never a Camel header a query parameter could have set
                return HttpRequests.header(exchange, name);
            }

            @Override
            public byte[] body() {
                return body;
            }
        };
    }
}

package io.hookrail.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.hookrail.ingest.WebhookSource;
import io.hookrail.ingest.WebhookSources;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.ingest.signature.StripeScheme;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.ops.timeline.TimelineEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synthetic transactions: on each probe, one signed synthetic event per probed event type goes through the gateway
 * like a sender's (its body from {@code probes/<type>.json}, with {@value #BUSINESS_ID_PLACEHOLDER} made a fresh
 * {@link Synthetic} business id), and each flow of that type is timed from the send to its run's end on the event's
 * timeline. A run that completes (or is denied, a policy's normal end) is a success; one dead-lettered, compensated,
 * held or not ended within the timeout is a failure. Results are {@code hookrail_probe_duration_seconds{flow,result}}.
 */
public final class SyntheticProbes {

    /** The registry name of the bean. */
    public static final String BEAN = "syntheticProbes";
    /** The text of a probe body that becomes the synthetic business id. */
    static final String BUSINESS_ID_PLACEHOLDER = "SYNTHETIC-probe";
    /** The text of a Stripe probe body that becomes its event id. */
    static final String EVENT_ID_PLACEHOLDER = "evt_synthetic_probe";
    private static final Logger LOG = LoggerFactory.getLogger(SyntheticProbes.class);

    /** One probe request: where it goes, its headers and body. */
    public record Request(String eventId, String eventType, String source, Map<String, String> headers, String body) {
    }

    private record Pending(String eventType, List<String> flows, Instant sentAt) {
    }

    private final WebhookSources sources;
    private final Supplier<Map<String, List<String>>> flowsByType;
    private final EventTimeline timeline;
    private final HookrailMetrics metrics;
    private final Clock clock;
    private final Duration timeout;
    private final Duration interval;
    private final Map<String, String> templates = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile Instant lastRound;

    /**
     * @param flowsByType the flows of each event type (read on each round: flows come and go with a reload)
     * @param interval    how often a round of probes is sent
     * @param timeout     how long a probe may take to its end before it counts as a timeout
     */
    public SyntheticProbes(WebhookSources sources, Supplier<Map<String, List<String>>> flowsByType,
                           EventTimeline timeline, HookrailMetrics metrics, Clock clock, Duration interval,
                           Duration timeout) {
        this.sources = sources;
        this.flowsByType = flowsByType;
        this.timeline = timeline;
        this.metrics = metrics;
        this.clock = clock;
        this.interval = interval;
        this.timeout = timeout;
        this.lastRound = clock.instant();
    }

    /**
     * On each tick: records the probes that ended (or ran out of time), then returns the requests of a new round
     * once the interval has passed since the last, one per event type, signed as its source signs; else none.
     */
    public List<Request> tick() throws SQLException {
        check();
        Instant now = clock.instant();
        if (now.isBefore(lastRound.plus(interval))) {
            return List.of();
        }
        lastRound = now;
        return round();
    }

    /** The probe requests of a round, one per event type a flow consumes. */
    List<Request> round() {
        List<Request> requests = new ArrayList<>();
        flowsByType.get().forEach((type, flows) -> {
            flows.forEach(metrics::probesKnown);
            String template = templates.computeIfAbsent(type, SyntheticProbes::template);
            source(type).ifPresentOrElse(source -> requests.add(request(type, template, source)),
                    () -> LOG.warn("No standard-webhooks or stripe source sends {}: it is not probed", type));
        });
        return requests;
    }

    /** A delivery of the type's probe body under a fresh synthetic id, signed with the source's first secret. */
    private Request request(String type, String template, WebhookSource source) {
        String id = UUID.randomUUID().toString().replace("-", "");
        String body = template.replace(BUSINESS_ID_PLACEHOLDER, Synthetic.BUSINESS_ID_PREFIX + id);
        long now = clock.instant().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        String eventId;
        if (StripeScheme.NAME.equals(source.scheme().name())) {
            eventId = "evt_synthetic_" + id;
            body = body.replace(EVENT_ID_PLACEHOLDER, eventId);
            headers.put(StripeScheme.SIGNATURE_HEADER, StripeScheme.sign(source.secrets().get(0), now,
                    body.getBytes(StandardCharsets.UTF_8)));
        } else {
            eventId = "msg_synthetic_" + id;
            headers.put(StandardWebhooksScheme.ID_HEADER, eventId);
            headers.put(StandardWebhooksScheme.TIMESTAMP_HEADER, Long.toString(now));
            headers.put(StandardWebhooksScheme.SIGNATURE_HEADER, StandardWebhooksScheme.sign(source.secrets().get(0),
                    eventId, now, body.getBytes(StandardCharsets.UTF_8)));
        }
        return new Request(eventId, type, source.name(), headers, body);
    }

    /** The gateway answered the probe: 202 starts its clock, anything else fails its flows at once. */
    public void sent(Request request, int status) {
        List<String> flows = flowsByType.get().getOrDefault(request.eventType(), List.of());
        if (status == 202) {
            pending.put(request.eventId(), new Pending(request.eventType(), flows, clock.instant()));
        } else {
            LOG.warn("Synthetic {} refused by the gateway with {}", request.eventType(), status);
            flows.forEach(flow -> metrics.probeResult(flow, "refused", Duration.ZERO));
        }
    }

    /** Records each pending probe whose flows all ended, or that ran out of time. */
    void check() throws SQLException {
        Instant now = clock.instant();
        for (Map.Entry<String, Pending> probe : List.copyOf(pending.entrySet())) {
            Pending waiting = probe.getValue();
            Map<String, TimelineEntry> ends = new LinkedHashMap<>();
            for (TimelineEntry entry : timeline.ofEvent(probe.getKey())) {
                if ("outcome".equals(entry.kind()) && waiting.flows().contains(entry.flow())) {
                    ends.putIfAbsent(entry.flow(), entry);
                }
            }
            boolean late = now.isAfter(waiting.sentAt().plus(timeout));
            if (ends.size() < waiting.flows().size() && !late) {
                continue;
            }
            pending.remove(probe.getKey());
            for (String flow : waiting.flows()) {
                TimelineEntry end = ends.get(flow);
                String result = end == null ? "timeout"
                        : "completed".equals(end.outcome()) || "denied".equals(end.outcome()) ? "success" : "failure";
                Duration took = Duration.between(waiting.sentAt(), end == null ? now : end.at());
                metrics.probeResult(flow, result, took.isNegative() ? Duration.ZERO : took);
                if (!"success".equals(result)) {
                    LOG.warn("Synthetic probe of flow {} ({}): {} after {} ms{}", flow, probe.getKey(), result,
                            took.toMillis(), end == null ? "" : " (" + end.outcome() + ")");
                }
            }
        }
    }

    /** The probes sent and not yet recorded. */
    public int pending() {
        return pending.size();
    }

    private Optional<WebhookSource> source(String type) {
        return sources.all().stream().filter(source -> source.allows(type))
                .filter(source -> StandardWebhooksScheme.NAME.equals(source.scheme().name())
                        || StripeScheme.NAME.equals(source.scheme().name()))
                .findFirst();
    }

    private static String template(String type) {
        String resource = "/probes/" + type + ".json";
        try (InputStream in = SyntheticProbes.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("event type " + type + " has no probe body at classpath:" + resource);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!body.contains(BUSINESS_ID_PLACEHOLDER)) {
                throw new IllegalArgumentException("classpath:" + resource + " has no business id "
                        + BUSINESS_ID_PLACEHOLDER + " to make synthetic");
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.hookrail.poll;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.broker.EventTopics;
import io.hookrail.ingest.CloudEvent;
import io.hookrail.ingest.EventAdmission;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ingest.EventIds;
import io.hookrail.ingest.IncomingEvent;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ingest.WebhookRejection;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.cluster.ClusterServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform side of the polling sources (bean {@value #BEAN}): the {@code polling-source} template's route calls
 * these steps, in this order, on the instance holding the source's poller (ADR 9, ADR 12).
 * <ol>
 * <li>{@link #due}: is the next planned poll ({@link PollSchedule}) reached, or an operator's re-run pending?</li>
 * <li>{@link #beginWindow}: the window starts at the stored watermark (or at the re-run's);</li>
 * <li>per page, {@link #pageRequest} (the watermark and page size as the query), the HTTP call, then
 * {@link #admitPage}: every item through the door's own admission ({@link EventAdmission}: contract, dedup by
 * (source, item id), CloudEvent, {@code VirtualTopic.<type>}), and only then the watermark moves on;</li>
 * <li>{@link #endWindow} or, when a page failed, {@link #failed}: the next window resumes from the watermark.</li>
 * </ol>
 */
public final class PollingSources {

    public static final String BEAN = "pollingSources";
    /** Exchange properties of a window. */
    static final String SOURCE = "pollSource";
    static final String ENABLED = "pollEnabled";
    static final String WATERMARK = "pollWatermark";
    static final String MORE = "pollMore";
    static final String PAGES = "pollPages";
    static final String COUNTS = "pollCounts";
    /** Why a window stopped before the remote system had nothing more: it is no success, and the next one resumes. */
    static final String PAUSED = "pollPaused";

    private static final Logger LOG = LoggerFactory.getLogger(PollingSources.class);

    private final CamelContext context;
    private final PollWatermarks watermarks;
    private final Supplier<EventAdmission> admission;
    private final EventContracts contracts;
    private final EventTimeline timeline;
    private final PollMetrics metrics;
    private final Clock clock;
    private final String instanceId;
    private final int maxPagesPerWindow;
    /** The next planned poll of each source on this instance, while it holds the source's poller. */
    private final Map<String, Instant> planned = new ConcurrentHashMap<>();

    PollingSources(CamelContext context, PollWatermarks watermarks, Supplier<EventAdmission> admission,
                   EventContracts contracts, EventTimeline timeline, PollMetrics metrics, Clock clock,
                   String instanceId, int maxPagesPerWindow) {
        this.context = context;
        this.watermarks = watermarks;
        this.admission = admission;
        this.contracts = contracts;
        this.timeline = timeline;
        this.metrics = metrics;
        this.clock = clock;
        this.instanceId = instanceId;
        this.maxPagesPerWindow = maxPagesPerWindow;
    }

    /** The polling sources of the routes loaded now (a flow directory may add or change them), by name. */
    public Map<String, PollingSource> all() {
        Map<String, PollingSource> sources = new TreeMap<>();
        for (RouteDefinition route : context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinitions()) {
            Map<String, Object> parameters = route.getTemplateParameters();
            if (PollingSource.isPollingSource(parameters)) {
                Map<String, Object> resolved = new TreeMap<>();
                parameters.forEach((key, value) -> resolved.put(key,
                        value == null ? null : context.resolvePropertyPlaceholders(value.toString())));
                PollingSource source = PollingSource.of(resolved);
                sources.put(source.name(), source);
            }
        }
        return sources;
    }

    public Optional<PollingSource> find(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** The source's stored watermark, if it polled (or was asked to re-run) before. */
    Optional<PollWatermarks.Watermark> watermark(String name) throws SQLException {
        return watermarks.find(name);
    }

    /** When this instance plans the source's next poll, if it holds its poller. */
    Optional<Instant> plannedPoll(String name) {
        return Optional.ofNullable(planned.get(name));
    }

    /** Whether this instance holds the source's poller now. */
    boolean holds(PollingSource source) {
        return ClusterServiceHelper.lookupService(context).map(cluster -> cluster.isLeader(source.routeId()))
                .orElse(true);
    }

    /** Asks for a re-run from an earlier watermark (null: from the beginning): the holder takes it up at once. */
    void rerun(PollingSource source, String from) throws SQLException {
        watermarks.requestRerun(source.name(), from == null ? "" : from, clock.instant());
        LOG.info("Re-run of polling source {} from watermark {} requested", source.name(),
                from == null ? "(the beginning)" : from);
    }

    /**
     * Step 1: whether a window starts now. The first tick after taking the poller over (a start, a restart, a
     * takeover) only plans the next slot of the grid: catching a missed slot up at once would poll at whatever
     * instant the instance started, the top of the hour included. An operator's re-run starts at the next tick.
     */
    public boolean due(Exchange exchange) throws SQLException {
        if (!exchange.getProperty(ENABLED, true, Boolean.class)) {
            return false;
        }
        PollingSource source = source(exchange);
        Instant now = clock.instant();
        PollWatermarks.Watermark stored = watermarks.ensure(source.name(), source.initialWatermark(), now);
        metrics.holding(source.name());
        Instant next = planned.computeIfAbsent(source.name(), name -> schedule(source).next(now));
        return stored.rerunFrom() != null || !now.isBefore(next);
    }

    /** Step 2: opens the window at the stored watermark, or at a pending re-run's. */
    public void beginWindow(Exchange exchange) throws SQLException {
        PollingSource source = source(exchange);
        PollWatermarks.Watermark window = watermarks.beginWindow(source.name(), clock.instant());
        exchange.setProperty(WATERMARK, window.watermark());
        exchange.setProperty(MORE, true);
        exchange.setProperty(PAGES, 0);
        exchange.setProperty(COUNTS, new TreeMap<String, Integer>());
        LOG.info("Polling {} from watermark {}", source.name(),
                window.watermark() == null ? "(the beginning)" : window.watermark());
    }

    /** Step 3a: the page's request: GET with the watermark and the page size as its query. */
    public void pageRequest(Exchange exchange) {
        PollingSource source = source(exchange);
        String watermark = exchange.getProperty(WATERMARK, String.class);
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Accept", "application/json");
        String query = source.pageSizeParam() + "=" + source.pageSize();
        if (watermark != null) {
            query += "&" + source.watermarkParam() + "=" + URLEncoder.encode(watermark, StandardCharsets.UTF_8);
        }
        message.setHeader(Exchange.HTTP_QUERY, query);
    }

    /**
     * Step 3b: admits the page's items one by one through the door, then moves the watermark on (a crash before
     * that polls the page again: its items are duplicates then); ends the window at a short or empty page, when the
     * watermark stops moving, when the instance stops or when it lost the poller.
     */
    public void admitPage(Exchange exchange) throws IOException, SQLException, WebhookRejection {
        PollingSource source = source(exchange);
        JsonNode page = HttpAnswers.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        JsonNode items = page == null ? null : page.at(source.itemsPointer());
        if (items == null || !items.isArray()) {
            throw new IOException("the page has no array of items at " + source.itemsPointer());
        }
        @SuppressWarnings("unchecked")
        Map<String, Integer> counts = exchange.getProperty(COUNTS, Map.class);
        String current = exchange.getProperty(WATERMARK, String.class);
        String next = nextWatermark(source, page, items, current);
        for (JsonNode item : items) {
            String outcome = admit(source, item);
            counts.merge(outcome, 1, Integer::sum);
            metrics.item(source.name(), outcome);
        }
        int pages = exchange.getProperty(PAGES, 0, Integer.class) + 1;
        exchange.setProperty(PAGES, pages);
        boolean moved = next != null && !next.equals(current);
        if (moved) {
            // only now: every item of the page was committed at the door (or is a duplicate of one that was)
            watermarks.advance(source.name(), next, clock.instant());
            exchange.setProperty(WATERMARK, next);
        }
        String paused = !moved || items.size() < source.pageSize() ? null
                : context.isStopping() ? "the instance is stopping"
                : !holds(source) ? "another instance took the poller over"
                : pages >= maxPagesPerWindow ? "hookrail.poll.maxPagesPerWindow pages in one window" : "";
        exchange.setProperty(MORE, "".equals(paused));
        if (paused != null && !paused.isEmpty()) {
            exchange.setProperty(PAUSED, paused);
        }
    }

    /** Step 4: the window got to the end of what the remote system had, or paused (a stop, a takeover). */
    public void endWindow(Exchange exchange) throws SQLException {
        PollingSource source = source(exchange);
        Instant now = clock.instant();
        String paused = exchange.getProperty(PAUSED, String.class);
        if (paused == null) {
            watermarks.succeeded(source.name(), now);
            metrics.succeeded(source.name());
        }
        planned.put(source.name(), schedule(source).next(now));
        LOG.info("Polled {}: {} page(s), items {}, watermark now {}{}", source.name(), exchange.getProperty(PAGES),
                exchange.getProperty(COUNTS), exchange.getProperty(WATERMARK),
                paused == null ? "" : "; paused, as " + paused);
    }

    /** Step 4 of a window whose page failed: recorded; the next planned window resumes from the watermark. */
    public void failed(Exchange exchange) throws SQLException {
        PollingSource source = source(exchange);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String error = failure == null ? "failed" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Instant now = clock.instant();
        watermarks.failed(source.name(), error, now);
        planned.put(source.name(), schedule(source).next(now));
        LOG.warn("Polling {} failed after {} page(s), at watermark {}: {}", source.name(),
                exchange.getProperty(PAGES), exchange.getProperty(WATERMARK), error);
    }

    /** While another instance holds the source's poller: no plan here, and its gauges at 0. */
    void notHolding(String source) {
        planned.remove(source);
        metrics.notHolding(source);
    }

    /** One item through the door: {@code accepted}, {@code duplicate} or {@code invalid} (refused, logged). */
    private String admit(PollingSource source, JsonNode item) throws WebhookRejection {
        String remoteId = text(item.at(source.idPointer()));
        if (remoteId == null) {
            LOG.warn("Polling source {} sent an item without an id at {}: skipped", source.name(), source.idPointer());
            return "invalid";
        }
        // the remote system's id is the event id, so a re-poll is a duplicate; one of another shape is hashed
        String eventId = EventIds.isCanonical(remoteId) ? remoteId
                : EventIds.ofBody(remoteId.getBytes(StandardCharsets.UTF_8));
        String time = source.timePointer() == null ? null : text(item.at(source.timePointer()));
        Instant at = clock.instant();
        String correlationId = CorrelationIds.choose(null);
        IncomingEvent event = contracts.resolve(new IncomingEvent(eventId, source.eventType(),
                time != null ? time : at.toString(), item, source.itemsPointer() + "/-"));
        List<WebhookRejection.Violation> violations = new ArrayList<>(contracts.violations(event));
        if (!violations.isEmpty()) {
            LOG.warn("Polled {} item {} breaks the {} contract, not admitted: {}", source.name(), eventId,
                    source.eventType(), violations);
            timeline.record(at, eventId, correlationId, "received", null, null, "bad_request", null,
                    "polled from " + source.name() + ", breaks the data contract");
            return "invalid";
        }
        CloudEvent normalised = CloudEvent.of(event, source.name(), correlationId, "/poll/" + source.name());
        if (admission.get().admit(source.name(), event, normalised) == EventAdmission.Outcome.ACCEPTED) {
            timeline.record(at, eventId, correlationId, "received", null, null, "accepted",
                    null, "polled from " + source.name());
            timeline.record(at, eventId, correlationId, "published", null, null, "persisted", null,
                    "on " + EventTopics.topic(event.type()));
            return "accepted";
        }
        timeline.record(at, eventId, correlationId, "received", null, null, "duplicate", null,
                "polled from " + source.name() + ", accepted before");
        return "duplicate";
    }

    /**
     * The watermark after this page: the page's cursor, or the latest item timestamp of the page (compared as
     * instants, kept as the remote system wrote it) if later than the current one.
     *
     * @throws IOException for a timestamp that is not RFC 3339: the window fails and says so, rather than skip it
     */
    static String nextWatermark(PollingSource source, JsonNode page, JsonNode items, String current)
            throws IOException {
        if (source.mode() == PollingSource.Mode.CURSOR) {
            return text(page.at(source.watermarkPointer()));
        }
        String next = current;
        for (JsonNode item : items) {
            String stamp = text(item.at(source.watermarkPointer()));
            if (stamp != null) {
                Instant at = instant(stamp);
                if (next == null || at.isAfter(instant(next))) {
                    next = stamp;
                }
            }
        }
        return next;
    }

    private static Instant instant(String timestamp) throws IOException {
        try {
            return java.time.OffsetDateTime.parse(timestamp).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IOException("watermark '" + timestamp + "' is not an RFC 3339 timestamp", e);
        }
    }

    private PollSchedule schedule(PollingSource source) {
        return PollSchedule.of(source.interval(), instanceId, source.name());
    }

    private PollingSource source(Exchange exchange) {
        String name = exchange.getProperty(SOURCE, String.class);
        return find(name).orElseThrow(() -> new IllegalStateException("no polling source " + name));
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }
}

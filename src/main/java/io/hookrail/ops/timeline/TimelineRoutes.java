package io.hookrail.ops.timeline;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The timeline API, open to every admin role: {@code GET /api/events/{id}} (the steps of one event) and
 * {@code GET /api/events?correlationId=...} (of every event with that correlation id); and the purge of old entries.
 */
public class TimelineRoutes extends RouteBuilder {

    private static final String PATH_PREFIX = "/api/events/";
    private static final Set<String> LOOKUP_PARAMETERS = Set.of("correlationId");

    @BeanInject
    private AdminAccess access;
    @BeanInject(EventTimeline.BEAN)
    private EventTimeline timeline;

    @Override
    public void configure() {
        from("platform-http:/api/events/{id}?httpMethodRestrict=GET")
                .routeId("timeline-event")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::ofEvent);

        from("platform-http:/api/events?httpMethodRestrict=GET")
                .routeId("timeline-correlation")
                .onException(Exception.class).handled(true).process(AdminRequests::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::ofCorrelation);

        // singleton (ADR 9): one instance at a time
        from("master:timeline-purge:timer:timeline-purge?delay={{hookrail.timeline.purgeIntervalMillis}}"
                + "&period={{hookrail.timeline.purgeIntervalMillis}}")
                .routeId("timeline-purge")
                .process(exchange -> {
                    int purged = timeline.purge();
                    if (purged > 0) {
                        log.info("{} timeline entries older than the retention purged", purged);
                    }
                });
    }

    void ofEvent(Exchange exchange) throws Exception {
        String id = AdminRequests.pathSegment(exchange, PATH_PREFIX, "");
        List<TimelineEntry> entries = id.isEmpty() ? List.of() : timeline.ofEvent(id);
        if (entries.isEmpty()) {
            throw new ApiProblem(404, "event-not-found", "No such event",
                    "No timeline for event " + AdminRequests.printable(id) + " (unknown, or older than the retention)");
        }
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode().put("eventId", id);
        answer.set("steps", steps(entries));
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    void ofCorrelation(Exchange exchange) throws Exception {
        Map<String, String> query = AdminRequests.query(exchange, LOOKUP_PARAMETERS);
        String correlationId = AdminRequests.blankToNull(query.get("correlationId"));
        if (correlationId == null) {
            throw ApiProblem.badRequest("correlationId is required: GET /api/events?correlationId=... or /api/events/{id}");
        }
        List<TimelineEntry> entries = timeline.ofCorrelation(correlationId);
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode().put("correlationId", correlationId);
        ArrayNode events = answer.putArray("events");
        entries.stream().map(TimelineEntry::eventId).distinct().forEach(eventId -> {
            ObjectNode event = events.addObject().put("eventId", eventId);
            event.set("steps", steps(entries.stream().filter(e -> e.eventId().equals(eventId)).toList()));
        });
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    private static ArrayNode steps(List<TimelineEntry> entries) {
        ArrayNode steps = HttpAnswers.MAPPER.createArrayNode();
        entries.forEach(entry -> steps.add(entry.toJson()));
        return steps;
    }
}

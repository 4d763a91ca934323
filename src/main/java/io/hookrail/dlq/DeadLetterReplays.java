package io.hookrail.dlq;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.JMSException;

import io.hookrail.audit.AuditTrail;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.timeline.EventTimeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays dead letters on behalf of someone and records each replay: a log line, a {@code dlq.replay} audit entry
 * and a {@code replayed} step on the event's timeline.
 * <p>
 * The admin API (the operator's user name) and JMX (actor {@value #JMX_ACTOR}) both replay through it, so a replay
 * is the same broker transaction and the same audit entry whichever door it came through.
 */
public final class DeadLetterReplays {

    /** The registry name of the bean. */
    public static final String BEAN = "deadLetterReplays";
    /** The audit actor of replays invoked over JMX (Hawtio, jconsole): JMX carries no user of Hookrail's own. */
    public static final String JMX_ACTOR = "jmx";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplays.class);

    private final DeadLetterStore store;
    private final AuditTrail audit;
    private final EventTimeline timeline;
    private final Clock clock;

    public DeadLetterReplays(DeadLetterStore store, AuditTrail audit, EventTimeline timeline, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.timeline = timeline;
        this.clock = clock;
    }

    /** The dead letters themselves, for browsing. */
    public DeadLetterStore store() {
        return store;
    }

    /**
     * Replays one dead letter and records it.
     *
     * @param requester whom the replayed run is requested by ({@link io.hookrail.broker.EventRequester}): the
     *                  replaying admin user, or {@code jmx}
     * @throws ApiProblem 404 when there is no such dead letter (any more), 409 when it cannot be replayed
     */
    public DeadLetterStore.Replay replay(String id, String actor, String requester, String correlationId)
            throws ApiProblem, JMSException {
        Instant started = clock.instant();
        DeadLetterStore.Replay replay = store.replay(id, requester);
        record(replay, actor, correlationId, started);
        return replay;
    }

    /**
     * Replays every dead letter the query matches, each in its own transaction, and records each one replayed; poison
     * only when the query names that kind ({@link DeadLetterStore#replayAll(DeadLetterQuery, String)}).
     */
    public DeadLetterStore.BulkReplay replayAll(DeadLetterQuery query, String actor, String requester,
                                               String correlationId) throws JMSException {
        Instant started = clock.instant();
        DeadLetterStore.BulkReplay bulk = store.replayAll(query, requester);
        bulk.replayed().forEach(replay -> record(replay, actor, correlationId, started));
        long poisonLeft = bulk.refused().stream().filter(DeadLetterStore.Refusal::poisonNotNamed).count();
        if (poisonLeft > 0) {
            LOG.info("Bulk replay of flow {} by operator '{}' left {} poison dead letter(s) where they are: it named"
                    + " no kind poison", query.flow(), actor, poisonLeft);
        }
        bulk.refused().stream().filter(refusal -> !refusal.poisonNotNamed()).forEach(refusal -> LOG.warn(
                "{} {} of flow {} not replayed: {}", noun(), refusal.id(), query.flow(),
                refusal.reason()));
        return bulk;
    }

    /** "Dead letter", "Quarantined event": how a log line begins. */
    private String noun() {
        String noun = store.parking().noun();
        return Character.toUpperCase(noun.charAt(0)) + noun.substring(1);
    }

    /**
     * Logs and audits a replay (after it happened: the broker, not the store, is the replay's transaction), and puts
     * it on the event's timeline at the time it started, before the flow may have consumed the replayed message.
     */
    private void record(DeadLetterStore.Replay replay, String actor, String correlationId, Instant started) {
        DeadLetter letter = replay.letter();
        LOG.info("{} {} ({}) of event {} (flow {}) replayed to {} as {} by operator '{}'", noun(), letter.id(),
                letter.kind(), letter.eventId(), letter.flow(), replay.originQueue(), replay.replayedMessageId(), actor);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("deadLetterId", letter.id());
        detail.put("eventId", letter.eventId());
        detail.put("flow", letter.flow());
        detail.put("queue", replay.originQueue());
        detail.put("replayedMessageId", replay.replayedMessageId());
        detail.put("kind", letter.kind().value());
        detail.put("requester", replay.requester());
        String subject = letter.flow() + "/" + (letter.eventId() == null ? letter.id() : letter.eventId());
        audit.append(actor, store.parking().auditAction(), subject, correlationId, detail);
        timeline.record(started, letter.eventId(), letter.correlationId(), "replayed", letter.flow(), null,
                "run " + (letter.run() + 1), null, "by " + actor + " to " + replay.originQueue());
    }
}

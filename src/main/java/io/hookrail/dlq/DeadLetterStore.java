package io.hookrail.dlq;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventSeal;
import io.hookrail.ops.ApiProblem;

/**
 * Browses and replays the dead letters on the broker's {@code DLQ.<flow>} queues; made for another
 * {@link ParkingQueue}, the messages on its queues ({@code QUARANTINE.<flow>}) alike.
 * <p>
 * Every {@code DLQ.*} queue is browsed at once through the ActiveMQ wildcard queue {@code DLQ.>}: the broker
 * resolves it to the queues that exist when the browser subscribes, ends the browse once each of them has been
 * browsed, and never creates a queue for it. A replay moves one message from its dead-letter queue back to its
 * origin queue in one local JMS transaction: the dead letter is removed only if the replayed copy is stored.
 * <p>
 * A JMS browser is not capped by ActiveMQ's {@code maxBrowsePageSize} (400 by default) unless the broker's destination
 * policy has an entry for {@code DLQ.>} (such as {@code queue=">"}, or a default entry): that entry's
 * {@code maxBrowsePageSize} then caps the one browser of all the {@code DLQ.*} queues, in all. The embedded broker has
 * no policy (DlqManyLettersTest); an external one needs a {@code DLQ.>} entry of its own (DlqBrowseCapTest, docs/dlq.md).
 */
public final class DeadLetterStore {

    /** JMS property of a replayed message: the JMS message id of the dead letter it was replayed from. */
    public static final String REPLAYED_FROM = "hookrailReplayedFrom";

    /**
     * The properties that describe a failure: a replayed message carries none of them (its kind goes along as
     * {@link DeadLetters#REPLAYED_KIND}).
     */
    static final Set<String> FAILURE_PROPERTIES = Set.of(DeadLetters.EXCEPTION, DeadLetters.ERROR,
            DeadLetters.ATTEMPTS, DeadLetters.FIRST_FAILURE_AT, DeadLetters.LAST_FAILURE_AT, DeadLetters.POISON,
            DeadLetters.FAILED_COMPENSATION, DeadLetters.KIND, DeadLetters.STEPS_DONE, DeadLetters.FLOW,
            DeadLetters.ORIGIN_QUEUE, DeadLetters.RULES);
    /** Why a bulk replay that did not name poison left a poison dead letter where it is. */
    static final String POISON_NOT_NAMED = "it is poison: replaying cannot help, and a bulk replay replays poison"
            + " only when it names kind poison";

    // ActiveMQ message ids look like ID:host-40077-1718000000000-1:1:1:1:1; nothing here can end a selector literal
    private static final Pattern MESSAGE_ID = Pattern.compile("ID:[A-Za-z0-9._:\\-]{1,200}");
    // a plain queue name: no wildcard ('*', '>'), no composite (','), no scheme prefix
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+)*");
    /** Orders the list: oldest last failure first, then by id, so pages are stable. */
    static final Comparator<DeadLetter> OLDEST_FIRST = Comparator.comparing(DeadLetter::failedAt)
            .thenComparing(DeadLetter::id);

    private final ConnectionFactory connectionFactory;
    private final long receiveTimeoutMillis;
    private final EventSeal seal;
    private final ParkingQueue parking;

    /** The store of the dead-letter queues. */
    public DeadLetterStore(ConnectionFactory connectionFactory, long receiveTimeoutMillis, EventSeal seal) {
        this(connectionFactory, receiveTimeoutMillis, seal, ParkingQueue.DEAD_LETTERS);
    }

    /** The store of one family of parking queues: every queue {@code <prefix><flow>} of it. */
    public DeadLetterStore(ConnectionFactory connectionFactory, long receiveTimeoutMillis, EventSeal seal,
                           ParkingQueue parking) {
        this.connectionFactory = connectionFactory;
        this.receiveTimeoutMillis = receiveTimeoutMillis;
        this.seal = seal;
        this.parking = parking;
    }

    /** The family of queues this store browses. */
    public ParkingQueue parking() {
        return parking;
    }

    /**
     * The outcome of one replay.
     *
     * @param requester whom the replayed copy is sealed for, or null when its dead letter carried no valid seal (it
     *                  was forged: the copy carries no seal, and its flow dead-letters it as forged again)
     */
    public record Replay(DeadLetter letter, String replayedMessageId, String originQueue, String requester) {
    }

    /** A dead letter a bulk replay left where it was, of which kind, and why. */
    public record Refusal(String id, DeadLetterKind kind, String reason) {

        /** A poison dead letter left alone because the bulk replay did not name poison (not a failure). */
        public boolean poisonNotNamed() {
            return POISON_NOT_NAMED.equals(reason);
        }
    }

    /** The outcome of a bulk replay. */
    public record BulkReplay(List<Replay> replayed, List<Refusal> refused) {
    }

    /** Whether the text can be a JMS message id of this broker (and is therefore safe in a selector). */
    public static boolean isMessageId(String id) {
        return id != null && MESSAGE_ID.matcher(id).matches();
    }

    /** Every dead letter the query matches, oldest last failure first. */
    public List<DeadLetter> list(DeadLetterQuery query) throws JMSException {
        List<DeadLetter> letters = browse(null);
        letters.removeIf(letter -> !query.matches(letter));
        letters.sort(OLDEST_FIRST);
        return letters;
    }

    /** The dead letter with this JMS message id, on whichever {@code DLQ.*} queue it is. */
    public Optional<DeadLetter> find(String id) throws JMSException {
        if (!isMessageId(id)) {
            return Optional.empty();
        }
        return browse(selector(id)).stream().findFirst();
    }

    /**
     * Replays one dead letter.
     *
     * @throws ApiProblem 404 when there is no such dead letter (any more), 409 when it cannot be replayed
     */
    public Replay replay(String id, String requester) throws ApiProblem, JMSException {
        DeadLetter letter = find(id).orElseThrow(() -> DlqProblems.notFound(parking, id));
        return replay(letter, requester);
    }

    /**
     * The kinds a bulk replay of the query replays: those it names, else its queue's
     * {@link ParkingQueue#replayedByDefault()} ({@link DeadLetterKind#REPLAYED_BY_DEFAULT} for dead letters).
     */
    public Set<DeadLetterKind> replayedKinds(DeadLetterQuery query) {
        return query.namesKinds() ? query.kinds() : parking.replayedByDefault();
    }

    /**
     * Replays every dead letter the query matches, each in a transaction of its own, oldest first. Of the kinds, only
     * {@link #replayedKinds(DeadLetterQuery)}: poison only when the query names it. A poison dead letter that matches
     * everything else in the query is then refused, with {@link #POISON_NOT_NAMED}, so the answer says it is there.
     */
    public BulkReplay replayAll(DeadLetterQuery query, String requester) throws JMSException {
        Set<DeadLetterKind> kinds = replayedKinds(query);
        List<Replay> replayed = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (DeadLetter letter : list(query.anyKind())) {
            if (!kinds.contains(letter.kind())) {
                if (letter.kind() == DeadLetterKind.POISON) {
                    refused.add(new Refusal(letter.id(), letter.kind(), POISON_NOT_NAMED));
                }
                continue;
            }
            try {
                replayed.add(replay(letter, requester));
            } catch (ApiProblem problem) {
                if (problem.status() != 404) { // a 404: replayed or removed meanwhile by someone else
                    refused.add(new Refusal(letter.id(), letter.kind(), problem.getMessage()));
                }
            }
        }
        return new BulkReplay(Collections.unmodifiableList(replayed), Collections.unmodifiableList(refused));
    }

    /**
     * Moves a browsed dead letter back to its origin queue: receives it by message id from its dead-letter queue and
     * sends the replayed copy in one transacted session, then commits. The copy is sealed for the requester (the
     * replaying user asks for its run now) if the dead letter was sealed by Hookrail ({@link EventSeal#reseal}).
     */
    public Replay replay(DeadLetter letter, String requester) throws ApiProblem, JMSException {
        // checked on the browsed copy first, so a refusal never receives and rolls back the message
        checkReplayable(letter.id(), letter.originQueue());
        if (letter.queue() == null || !QUEUE_NAME.matcher(letter.queue()).matches()) {
            throw DlqProblems.notReplayable(parking, letter.id(), "it is on no plain queue");
        }
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
                boolean committed = false;
                try (MessageConsumer consumer = session.createConsumer(session.createQueue(letter.queue()),
                        selector(letter.id()))) {
                    Message message = consumer.receive(receiveTimeoutMillis);
                    if (message == null) {
                        throw DlqProblems.notFound(parking, letter.id());
                    }
                    String origin = DeadLetter.string(message, DeadLetters.ORIGIN_QUEUE);
                    checkReplayable(letter.id(), origin);
                    Message copy = replayedCopy(session, message, parking);
                    boolean sealed = seal.reseal(message, copy, requester);
                    try (MessageProducer producer = session.createProducer(session.createQueue(origin))) {
                        producer.send(copy, DeliveryMode.PERSISTENT, message.getJMSPriority(),
                                Message.DEFAULT_TIME_TO_LIVE);
                    }
                    session.commit();
                    committed = true;
                    return new Replay(letter, copy.getJMSMessageID(), origin, sealed ? requester : null);
                } finally {
                    if (!committed) {
                        rollbackQuietly(session);
                    }
                }
            }
        }
    }

    /**
     * The message to put back on the flow queue: same body and properties, without the failure properties, with
     * {@link DeadLetters#RUN} one higher (a message without it was run 1), {@value #REPLAYED_FROM} and
     * {@value DeadLetters#REPLAYED_KIND} (the dead letter's kind).
     */
    static Message replayedCopy(Session session, Message message, ParkingQueue parking)
            throws JMSException, ApiProblem {
        Message copy;
        if (message instanceof TextMessage text) {
            copy = session.createTextMessage(text.getText());
        } else if (message instanceof BytesMessage bytes) {
            byte[] body = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(body);
            BytesMessage replayed = session.createBytesMessage();
            replayed.writeBytes(body);
            copy = replayed;
        } else {
            throw DlqProblems.notReplayable(parking, message.getJMSMessageID(),
                    "only text and bytes messages are replayed");
        }
        for (Enumeration<?> names = message.getPropertyNames(); names.hasMoreElements(); ) {
            String name = (String) names.nextElement();
            if (isCopied(name)) {
                copy.setObjectProperty(name, message.getObjectProperty(name));
            }
        }
        Integer run = DeadLetter.integer(message, DeadLetters.RUN);
        copy.setIntProperty(DeadLetters.RUN, (run == null ? 1 : run) + 1);
        copy.setStringProperty(REPLAYED_FROM, message.getJMSMessageID());
        copy.setStringProperty(DeadLetters.REPLAYED_KIND, DeadLetter.kindOf(message).value());
        copy.setJMSCorrelationID(message.getJMSCorrelationID());
        copy.setJMSType(message.getJMSType());
        return copy;
    }

    private static boolean isCopied(String name) {
        // a dead letter of a replayed run carries the earlier replay's properties: the new ones replace them
        if (FAILURE_PROPERTIES.contains(name) || name.equals(DeadLetters.RUN) || name.equals(REPLAYED_FROM)
                || name.equals(DeadLetters.REPLAYED_KIND) || name.equals(EventRequester.PROPERTY)
                || name.equals(EventSeal.PROPERTY)) {
            return false;
        }
        // JMS-defined and provider properties (delivery count, user id...) belong to the old delivery; message
        // groups are kept so a replay stays in its group
        if (name.startsWith("JMSX")) {
            return name.equals("JMSXGroupID") || name.equals("JMSXGroupSeq");
        }
        return !name.startsWith("JMS_");
    }

    private void checkReplayable(String id, String origin) throws ApiProblem {
        if (origin == null || origin.isBlank()) {
            throw DlqProblems.notReplayable(parking, id, "it names no origin queue (" + DeadLetters.ORIGIN_QUEUE + ")");
        }
        if (!QUEUE_NAME.matcher(origin).matches() || ParkingQueue.isParking(origin)) {
            throw DlqProblems.notReplayable(parking, id, "its origin queue '" + origin + "' is not a flow queue");
        }
    }

    private List<DeadLetter> browse(String selector) throws JMSException {
        List<DeadLetter> letters = new ArrayList<>();
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            try (Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                 QueueBrowser browser = session.createBrowser(session.createQueue(parking.prefix() + ">"), selector)) {
                for (Enumeration<?> messages = browser.getEnumeration(); messages.hasMoreElements(); ) {
                    letters.add(DeadLetter.of((Message) messages.nextElement()));
                }
            }
        }
        return letters;
    }

    private static String selector(String id) {
        if (!isMessageId(id)) {
            throw new IllegalArgumentException("not a message id");
        }
        return "JMSMessageID = '" + id + "'";
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.rollback();
        } catch (JMSException ignored) {
            // the session is closed next; the broker returns unacknowledged messages to the queue
        }
    }
}

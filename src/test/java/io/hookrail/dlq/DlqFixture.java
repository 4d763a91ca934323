package io.hookrail.dlq;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hookrail.broker.EventTopics;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * Puts dead letters on the broker of a Hookrail instance the way a failing flow does (DeadLetters' contract), reads
 * queues back, and calls the admin API over real HTTP.
 */
final class DlqFixture implements AutoCloseable {

    static final String ORIGIN_TEST = EventTopics.flowQueue("test-flow", "test.event");
    static final String ORIGIN_OTHER = EventTopics.flowQueue("other-flow", "test.event");

    private final Connection connection;
    private final Session session;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    DlqFixture(String brokerUrl, String baseUrl) throws JMSException {
        this.baseUrl = baseUrl;
        connection = new ActiveMQConnectionFactory(brokerUrl).createConnection();
        connection.start();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    }

    /** A dead letter as a flow leaves it. */
    record Letter(String flow, String eventId, String exception, String error, Instant lastFailureAt) {

        static Letter of(String flow, String eventId, String exception, String error, Instant lastFailureAt) {
            return new Letter(flow, eventId, exception, error, lastFailureAt);
        }
    }

    /** Sends a dead letter to DLQ.&lt;flow&gt;; extra properties replace the usual ones, or drop them when null. */
    String put(Letter letter, Map<String, Object> extra) throws JMSException {
        String body = "{\"specversion\":\"1.0\",\"id\":\"" + letter.eventId() + "\",\"type\":\"test.event\","
                + "\"data\":{\"n\":\"\u00e9\u4e2d\"}}";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(EventTopics.EVENT_ID_HEADER, letter.eventId());
        properties.put(EventTopics.EVENT_TYPE_HEADER, "test.event");
        properties.put(EventTopics.EVENT_SOURCE_HEADER, "shop");
        properties.put(EventTopics.CORRELATION_ID_HEADER, "cid-" + letter.eventId());
        properties.put(DeadLetters.FLOW, letter.flow());
        properties.put(DeadLetters.ORIGIN_QUEUE, EventTopics.flowQueue(letter.flow(), "test.event"));
        properties.put(DeadLetters.EXCEPTION, letter.exception());
        properties.put(DeadLetters.ERROR, letter.error());
        properties.put(DeadLetters.ATTEMPTS, 4);
        properties.put(DeadLetters.FIRST_FAILURE_AT, letter.lastFailureAt().minusSeconds(30).toString());
        properties.put(DeadLetters.LAST_FAILURE_AT, letter.lastFailureAt().toString());
        properties.put(DeadLetters.POISON, "false");
        properties.put(DeadLetters.FAILED_COMPENSATION, "false");
        properties.putAll(extra);
        TextMessage message = session.createTextMessage(body);
        for (Map.Entry<String, Object> property : properties.entrySet()) {
            if (property.getValue() != null) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
        }
        try (MessageProducer producer = session.createProducer(session.createQueue(DeadLetters.queue(letter.flow())))) {
            producer.send(message, DeliveryMode.PERSISTENT, 4, 0);
        }
        return message.getJMSMessageID();
    }

    String put(Letter letter) throws JMSException {
        return put(letter, Map.of());
    }

    /**
     * A dead letter as {@link DeadLetterWriter} now writes it, with its kind (and the older flags to match) and the
     * steps done; {@link #put(Letter)} makes one as written before there were kinds.
     */
    String put(Letter letter, DeadLetterKind kind, String stepsDone, Map<String, Object> extra) throws JMSException {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(DeadLetters.KIND, kind.value());
        properties.put(DeadLetters.POISON, String.valueOf(kind == DeadLetterKind.POISON));
        properties.put(DeadLetters.FAILED_COMPENSATION, String.valueOf(kind == DeadLetterKind.FAILED_COMPENSATION));
        properties.put(DeadLetters.STEPS_DONE, stepsDone);
        properties.putAll(extra);
        return put(letter, properties);
    }

    String put(Letter letter, DeadLetterKind kind, String stepsDone) throws JMSException {
        return put(letter, kind, stepsDone, Map.of());
    }

    /** Takes every message off a queue (wildcards allowed). */
    List<Message> drain(String queue) throws JMSException {
        List<Message> messages = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            for (Message m = consumer.receive(300); m != null; m = consumer.receive(300)) {
                messages.add(m);
            }
        }
        return messages;
    }

    void clear() throws JMSException {
        drain("DLQ.>");
        drain(ORIGIN_TEST);
        drain(ORIGIN_OTHER);
    }

    HttpResponse<String> get(String path, String token) {
        return sendBearer(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), token);
    }

    HttpResponse<String> post(String path, String token, String body) {
        return sendBearer(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)),
                token);
    }

    /** A request with exactly this Authorization header value (none when null). */
    HttpResponse<String> send(HttpRequest.Builder request, String authorization) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> sendBearer(HttpRequest.Builder request, String token) {
        return send(request, token == null ? null : "Bearer " + token);
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}

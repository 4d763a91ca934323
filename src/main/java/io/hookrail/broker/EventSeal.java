package io.hookrail.broker;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;
import org.apache.camel.component.jms.MessageCreatedStrategy;

/**
 * An HMAC over every event message Hookrail puts on the broker (JMS property {@value #PROPERTY}: HMAC-SHA256 of the
 * event id, a newline and the message text), so a flow can tell an event the gateway accepted from one that anybody
 * who reached the broker put there. It seals what the {@code jms} component sends (its {@link
 * MessageCreatedStrategy}): the gateway's events, decided approvals, dead letters; a dead letter replayed keeps its
 * seal, as the message is copied unchanged.
 */
public final class EventSeal implements MessageCreatedStrategy {

    /** The registry name of the bean. */
    public static final String BEAN = "eventSeal";
    /** The JMS property that carries the seal. */
    public static final String PROPERTY = "hookrailSeal";

    private final byte[] key;

    public EventSeal(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the event seal key must have at least 32 bytes");
        }
        this.key = key.clone();
    }

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        try {
            String eventId = message.getStringProperty(EventTopics.EVENT_ID_HEADER);
            if (eventId != null && message instanceof TextMessage text && text.getText() != null) {
                message.setStringProperty(PROPERTY, seal(eventId, text.getText()));
            }
        } catch (JMSException e) {
            throw new IllegalStateException("cannot seal the event message", e);
        }
    }

    /** Whether the seal is the one this key gives the event id and text. */
    public boolean verify(String eventId, String text, String seal) {
        return eventId != null && text != null && seal != null && MessageDigest.isEqual(
                seal(eventId, text).getBytes(StandardCharsets.US_ASCII), seal.getBytes(StandardCharsets.US_ASCII));
    }

    String seal(String eventId, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(eventId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '\n');
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}

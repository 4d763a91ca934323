package io.hookrail.broker;

import java.nio.ByteBuffer;
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
 * event id, the {@linkplain EventRequester requester} and the message text, each length-prefixed), so a flow can tell
 * an event Hookrail vouches for from one that anybody who reached the broker put there, and trust who asked for it.
 * <p>
 * It seals what the {@code jms} component sends (its {@link MessageCreatedStrategy}) only when the sending exchange
 * says whom for, in exchange property {@link EventRequester#PROPERTY} (which no message can set): the gateway's
 * events (the verified source), decided approvals (the approval's requester), and the dead letter of a run whose
 * message a flow verified (the same requester). A message that failed the check is dead-lettered unsealed, so a
 * replay cannot launder it; a replay of a sealed dead letter is sealed again for the replaying user
 * ({@link #reseal}).
 */
public final class EventSeal implements MessageCreatedStrategy {

    /** The registry name of the bean. */
    public static final String BEAN = "eventSeal";
    /** The JMS property that carries the seal. */
    public static final String PROPERTY = "hookrailSeal";

    /** The shortest key: HMAC-SHA256's own block of security (RFC 2104 recommends at least the hash's length). */
    public static final int MIN_KEY_BYTES = 32;

    private final byte[] key;

    public EventSeal(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the event seal key must have at least 32 bytes");
        }
        this.key = key.clone();
    }

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        String requester = exchange == null ? null : exchange.getProperty(EventRequester.PROPERTY, String.class);
        if (requester == null) {
            return; // nobody vouched for this message: whatever seal it carries stays as it came
        }
        try {
            seal(message, requester);
        } catch (JMSException e) {
            throw new IllegalStateException("cannot seal the event message", e);
        }
    }

    /** Seals an event message (one with an event id and a text body) for the requester; anything else is left. */
    public void seal(Message message, String requester) throws JMSException {
        String eventId = message.getStringProperty(EventTopics.EVENT_ID_HEADER);
        if (eventId != null && message instanceof TextMessage text && text.getText() != null) {
            message.setStringProperty(EventRequester.PROPERTY, requester);
            message.setStringProperty(PROPERTY, seal(eventId, requester, text.getText()));
        }
    }

    /**
     * Seals a replayed copy for its new requester, if the dead letter it copies was sealed by this key: a copy of a
     * message that was not (forged, or sealed by another key) is left unsealed, and stays forged.
     *
     * @return whether the copy is sealed
     */
    public boolean reseal(Message original, Message copy, String requester) throws JMSException {
        if (original instanceof TextMessage text && verify(original.getStringProperty(EventTopics.EVENT_ID_HEADER),
                original.getStringProperty(EventRequester.PROPERTY), text.getText(),
                original.getStringProperty(PROPERTY))) {
            seal(copy, requester);
            return true;
        }
        return false;
    }

    /** Whether the seal is the one this key gives the event id, requester and text. */
    public boolean verify(String eventId, String requester, String text, String seal) {
        return eventId != null && requester != null && text != null && seal != null && MessageDigest.isEqual(
                seal(eventId, requester, text).getBytes(StandardCharsets.US_ASCII),
                seal.getBytes(StandardCharsets.US_ASCII));
    }

    String seal(String eventId, String requester, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            // each part length-prefixed: no shift of bytes between the id, the requester and the text keeps a seal
            for (String part : new String[] {eventId, requester, text}) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
                mac.update(bytes);
            }
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}

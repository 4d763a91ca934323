package io.hookrail.broker;

import java.nio.charset.StandardCharsets;

import org.apache.activemq.command.ActiveMQTextMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event seal covers the event id, the requester and the text, and seals only what Hookrail vouches for. */
class EventSealTest {

    static final EventSeal SEAL = new EventSeal("a-32-byte-key-for-the-seal-test!".getBytes(StandardCharsets.UTF_8));
    static final String TEXT = "{\"id\":\"msg_1\",\"type\":\"refund.requested\",\"data\":{}}";

    @Test
    void aSealedMessageVerifiesWithItsRequesterAndNoOther() throws Exception {
        ActiveMQTextMessage message = event("msg_1", TEXT);
        SEAL.seal(message, EventRequester.source("support"));
        String seal = message.getStringProperty(EventSeal.PROPERTY);
        assertEquals("source:support", message.getStringProperty(EventRequester.PROPERTY));
        assertTrue(SEAL.verify("msg_1", "source:support", TEXT, seal));
        assertFalse(SEAL.verify("msg_1", "user:approver", TEXT, seal), "another requester");
        assertFalse(SEAL.verify("msg_1", null, TEXT, seal), "the requester removed");
        assertFalse(SEAL.verify("msg_2", "source:support", TEXT, seal), "another event id");
        assertFalse(SEAL.verify("msg_1", "source:support", TEXT + " ", seal), "another text");
        assertFalse(new EventSeal(new byte[EventSeal.MIN_KEY_BYTES]).verify("msg_1", "source:support", TEXT, seal),
                "another key");
    }

    @Test
    void noBytesMoveBetweenTheIdTheRequesterAndTheText() {
        // each part is length-prefixed: the same bytes cut elsewhere are another seal
        String seal = SEAL.seal("msg_1", "source:support", TEXT);
        assertFalse(SEAL.verify("msg_1source:support", "", TEXT, seal));
        assertFalse(SEAL.verify("msg_1", "source:", "support" + TEXT, seal));
    }

    @Test
    void onlyAnExchangeThatNamesItsRequesterIsSealed() throws Exception {
        CamelContext context = new DefaultCamelContext();
        ActiveMQTextMessage unvouched = event("msg_1", TEXT);
        unvouched.setStringProperty(EventSeal.PROPERTY, "copied-from-the-consumed-message");
        SEAL.onMessageCreated(unvouched, null, new DefaultExchange(context), null);
        assertEquals("copied-from-the-consumed-message", unvouched.getStringProperty(EventSeal.PROPERTY));
        assertNull(unvouched.getStringProperty(EventRequester.PROPERTY));

        Exchange vouched = new DefaultExchange(context);
        vouched.setProperty(EventRequester.PROPERTY, "source:shop");
        ActiveMQTextMessage sealed = event("msg_1", TEXT);
        SEAL.onMessageCreated(sealed, null, vouched, null);
        assertTrue(SEAL.verify("msg_1", "source:shop", TEXT, sealed.getStringProperty(EventSeal.PROPERTY)));
    }

    @Test
    void aReplayIsSealedForTheReplayingUserOnlyIfItsDeadLetterWasSealed() throws Exception {
        ActiveMQTextMessage letter = event("msg_1", TEXT);
        SEAL.seal(letter, EventRequester.source("support"));
        ActiveMQTextMessage copy = event("msg_1", TEXT);
        assertTrue(SEAL.reseal(letter, copy, EventRequester.adminUser("alice")));
        assertEquals("user:alice", copy.getStringProperty(EventRequester.PROPERTY));
        assertTrue(SEAL.verify("msg_1", "user:alice", TEXT, copy.getStringProperty(EventSeal.PROPERTY)));

        ActiveMQTextMessage forged = event("msg_1", TEXT);
        forged.setStringProperty(EventRequester.PROPERTY, "source:support");
        forged.setStringProperty(EventSeal.PROPERTY, "not-a-seal");
        ActiveMQTextMessage forgedCopy = event("msg_1", TEXT);
        assertFalse(SEAL.reseal(forged, forgedCopy, EventRequester.adminUser("alice")));
        assertNull(forgedCopy.getStringProperty(EventSeal.PROPERTY));
    }

    @Test
    void aShortKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EventSeal(new byte[EventSeal.MIN_KEY_BYTES - 1]));
    }

    static ActiveMQTextMessage event(String eventId, String text) throws Exception {
        ActiveMQTextMessage message = new ActiveMQTextMessage();
        message.setText(text);
        message.setStringProperty(EventTopics.EVENT_ID_HEADER, eventId);
        return message;
    }
}

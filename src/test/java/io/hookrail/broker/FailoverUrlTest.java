package io.hookrail.broker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailoverUrlTest {

    @Test
    void aFailoverUrlMustBoundHowLongASendWaits() {
        assertDoesNotThrow(() -> BrokerConfiguration.requireFailoverTimeout(
                "failover:(tcp://a:61616,tcp://b:61616)?randomize=false&timeout=3000"));
        assertDoesNotThrow(() -> BrokerConfiguration.requireFailoverTimeout("failover:tcp://a:61616?timeout=500"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> BrokerConfiguration.requireFailoverTimeout("failover:(tcp://a:61616,tcp://b:61616)?randomize=false"));
        assertTrue(none.getMessage().contains("timeout=3000"), none.getMessage());
        // a broker's own option inside the list is not the failover's
        assertThrows(IllegalArgumentException.class,
                () -> BrokerConfiguration.requireFailoverTimeout("failover:(tcp://a:61616?timeout=3000)"));
        assertThrows(IllegalArgumentException.class,
                () -> BrokerConfiguration.requireFailoverTimeout("failover:(tcp://a:61616)?timeout=0"));
    }

    @Test
    void otherUrlsNeedNoTimeout() {
        assertDoesNotThrow(() -> BrokerConfiguration.requireFailoverTimeout(""));
        assertDoesNotThrow(() -> BrokerConfiguration.requireFailoverTimeout("tcp://127.0.0.1:61616"));
    }
}

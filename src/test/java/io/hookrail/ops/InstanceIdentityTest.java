package io.hookrail.ops;

import io.hookrail.support.HookrailInstance;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How an instance names itself: {@code hookrail.instance.id}, else its host and HTTP port. */
class InstanceIdentityTest {

    @Test
    void aConfiguredIdIsUsedAsGiven() {
        InstanceIdentity identity = InstanceIdentity.resolve(" hookrail-a.eu_1:blue ", "host-1", 8080);
        assertEquals("hookrail-a.eu_1:blue", identity.id());
        assertTrue(identity.configured());
    }

    @Test
    void withoutAnIdTheHostAndHttpPortNameTheInstance() {
        InstanceIdentity identity = InstanceIdentity.resolve("", "Web-7.Example.COM", 8080);
        assertEquals("web-7.example.com:8080", identity.id());
        assertFalse(identity.configured());
        assertEquals(identity.id(), InstanceIdentity.resolve(null, "web-7.example.com", 8080).id());
        assertEquals(identity.id(), InstanceIdentity.resolve("  ", "web-7.example.com", 8080).id());
    }

    @Test
    void aRestartOnTheSameHostAndPortIsTheSameInstanceAndAnotherPortIsAnother() {
        assertEquals(InstanceIdentity.resolve("", "node-1", 8080).id(), InstanceIdentity.resolve("", "node-1", 8080).id());
        assertNotEquals(InstanceIdentity.resolve("", "node-1", 8080).id(),
                InstanceIdentity.resolve("", "node-1", 8081).id());
        assertNotEquals(InstanceIdentity.resolve("", "node-1", 8080).id(),
                InstanceIdentity.resolve("", "node-2", 8080).id());
    }

    @Test
    void anOddOrLongHostNameStillGivesAValidId() {
        assertEquals("my-host-name:9000", InstanceIdentity.resolve("", "my host_name", 9000).id());
        assertEquals("localhost:9000", InstanceIdentity.resolve("", "", 9000).id());
        assertEquals("localhost:9000", InstanceIdentity.resolve("", null, 9000).id());
        String longHost = "a".repeat(40) + "." + "b".repeat(40) + ".example.com";
        String id = InstanceIdentity.resolve("", longHost, 65535).id();
        assertEquals(InstanceIdentity.MAX_LENGTH, id.length());
        assertTrue(id.endsWith(":65535"), id);
        // the default is always an id one could also configure
        assertEquals(id, InstanceIdentity.resolve(id, "other", 1).id());
    }

    @Test
    void anInvalidConfiguredIdIsRefusedSayingWhatIsAllowed() {
        for (String bad : new String[] {"a b", "id/with/slash", "-leading-dash", "x".repeat(65), "ünïcode",
                "semi;colon", "quote'"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> InstanceIdentity.resolve(bad, "host", 8080), bad);
            assertTrue(refused.getMessage().contains("hookrail.instance.id"), refused.getMessage());
            assertTrue(refused.getMessage().contains("1 to 64"), refused.getMessage());
        }
        assertEquals("x".repeat(64), InstanceIdentity.resolve("x".repeat(64), "host", 8080).id());
    }

    @Test
    void theMachinesOwnHostNameGivesAValidId() {
        String id = InstanceIdentity.resolve("", 8080).id();
        assertEquals(id, InstanceIdentity.resolve(id, "other", 1).id());
    }

    @Test
    void anInstanceWithAnInvalidIdDoesNotStartAndSaysWhy() {
        Exception refused = assertThrows(Exception.class,
                () -> HookrailInstance.builder().property("hookrail.instance.id", "two words").start().close());
        Throwable cause = refused;
        while (cause != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause != null && cause.getMessage().contains("hookrail.instance.id"), String.valueOf(refused));
    }
}

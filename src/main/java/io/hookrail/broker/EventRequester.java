package io.hookrail.broker;

import java.util.Locale;

/**
 * Who asked Hookrail for an event's run, as Hookrail authenticated them: the webhook source whose signature it
 * verified ({@code source:<name>}), the admin user who replayed the event ({@code user:<name>}) or a replay over JMX
 * ({@value #JMX}), which carries no user of Hookrail's own. It travels as JMS property {@value #PROPERTY}, covered by
 * the {@link EventSeal}, and is what the four-eyes rule of approvals compares with the deciding user; a name in the
 * event's own data is only a claim.
 */
public final class EventRequester {

    /** The JMS property (and exchange property, once a flow verified the seal) that carries the requester. */
    public static final String PROPERTY = "hookrailRequester";
    /** The requester of a replay invoked over JMX (Hawtio, jconsole). */
    public static final String JMX = "jmx";

    private static final String SOURCE = "source:";
    private static final String USER = "user:";

    private EventRequester() {
    }

    /** The requester of an event delivered by a webhook source whose signature was verified. */
    public static String source(String sourceName) {
        return SOURCE + sourceName;
    }

    /** The requester of an event an admin user replayed. */
    public static String adminUser(String userName) {
        return USER + userName;
    }

    /** Whether the requester is this admin user (user names compare case-insensitively, as people read them). */
    public static boolean isAdminUser(String requester, String userName) {
        return requester != null && userName != null
                && requester.toLowerCase(Locale.ROOT).equals(adminUser(userName).toLowerCase(Locale.ROOT));
    }
}

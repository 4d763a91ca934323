package io.hookrail.sandbox;

import java.util.regex.Pattern;

import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpConstants;

/**
 * The sandbox answers callers on this machine only: it has no sign-in, and whoever reaches it can slow every flow
 * down or read the side effects of every order. The caller is the TCP peer Vert.x saw, never a header.
 */
final class SandboxAccess {

    private static final Pattern LOOPBACK_V4 = Pattern.compile("127(\\.\\d{1,3}){3}");
    private static final Pattern LOOPBACK_V6 = Pattern.compile("\\[?(::1|(0{1,4}:){7}0{0,3}1|::ffff:127(\\.\\d{1,3}){3})]?",
            Pattern.CASE_INSENSITIVE);

    private SandboxAccess() {
    }

    /** Refuses, with 403, a call whose peer is not a loopback address. */
    static void requireLoopback(Exchange exchange) throws SandboxRejection {
        Object peer = exchange.getMessage().getHeader(VertxPlatformHttpConstants.REMOTE_ADDRESS);
        String host = peer instanceof SocketAddress address ? address.hostAddress() : null;
        if (!isLoopback(host)) {
            throw SandboxRejection.notLoopback();
        }
    }

    /** Whether the address literal is 127.0.0.0/8 or ::1 (also as an IPv4-mapped address); a name never is. */
    static boolean isLoopback(String host) {
        return host != null && (LOOPBACK_V4.matcher(host).matches() || LOOPBACK_V6.matcher(host).matches());
    }
}

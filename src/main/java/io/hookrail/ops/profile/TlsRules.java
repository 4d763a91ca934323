package io.hookrail.ops.profile;

import java.util.List;
import java.util.function.Function;

import io.hookrail.ops.http.ListenerTls;

/**
 * The production profile's rules for TLS client certificates: every configured pin is one that is checked. A source
 * that requires a client certificate names the subject or key it pins, and the business listener then asks for
 * client certificates (over TLS, against a trust store of its own rather than the JDK's public CAs).
 */
final class TlsRules {

    private TlsRules() {
    }

    static void problems(Function<String, String> property, List<String> sources, List<String> problems) {
        if (Boolean.parseBoolean(String.valueOf(property.apply("camel.ssl.trustAllCertificates")).trim())) {
            problems.add("camel.ssl.trustAllCertificates is true: every client certificate would be trusted");
        }
        boolean asks = ListenerTls.asksForClientCertificates(property);
        if (asks && blank(property.apply("camel.ssl.trustStore"))) {
            problems.add("camel.ssl.clientAuthentication is " + property.apply("camel.ssl.clientAuthentication").trim()
                    + " but camel.ssl.trustStore is not set: client certificates would be verified against the JDK's"
                    + " public certificate authorities");
        }
        for (String source : sources) {
            String prefix = "hookrail.source." + source + ".clientCertificate";
            boolean required = Boolean.parseBoolean(String.valueOf(property.apply(prefix + ".required")).trim());
            boolean pinned = !blank(property.apply(prefix + ".subject")) || !blank(property.apply(prefix + ".spkiSha256"));
            if (required && !pinned) {
                problems.add(prefix + ".required is true but nothing is pinned: set " + prefix + ".subject or "
                        + prefix + ".spkiSha256");
            } else if (pinned && !required) {
                problems.add(prefix + " pins a certificate but " + prefix + ".required is not true: the pin would"
                        + " not be checked");
            }
            if ((required || pinned) && !asks) {
                problems.add(prefix + " is configured but the business listener does not ask for client"
                        + " certificates: set camel.ssl.clientAuthentication=WANT with TLS on camel.server");
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

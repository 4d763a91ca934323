package io.hookrail.ingest;

import java.security.cert.Certificate;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.hookrail.ops.HttpRequests;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sources that require a client certificate ({@code hookrail.source.<name>.clientCertificate.required}), each
 * with its {@link ClientCertificatePin}. The certificate is the TLS peer's of the request's own connection, which the
 * listener's trust store ({@code camel.ssl.trustStore}) has verified when it asks for client certificates
 * ({@code camel.ssl.clientAuthentication=WANT}).
 */
public final class ClientCertificates {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);

    private final Map<String, ClientCertificatePin> required;

    private ClientCertificates(Map<String, ClientCertificatePin> required) {
        this.required = Map.copyOf(required);
    }

    /**
     * Reads the requirement and pins of the named sources.
     *
     * @param property resolves a property key to its value, or null when it is not set
     */
    public static ClientCertificates fromProperties(Function<String, String> property, Collection<String> sources) {
        Map<String, ClientCertificatePin> required = new LinkedHashMap<>();
        for (String source : sources) {
            String prefix = "hookrail.source." + source + ".clientCertificate";
            ClientCertificatePin pin = ClientCertificatePin.of(prefix, property.apply(prefix + ".subject"),
                    property.apply(prefix + ".spkiSha256"));
            if (Boolean.parseBoolean(String.valueOf(property.apply(prefix + ".required")).trim())) {
                required.put(source, pin);
            }
        }
        return new ClientCertificates(required);
    }

    /**
     * Logs a warning for every source that requires a client certificate while the listener asks for none (the
     * production profile refuses this): each of its deliveries is refused.
     */
    void warnIfNotAskedFor(boolean listenerAsks) {
        if (!listenerAsks) {
            required.keySet().forEach(source -> LOG.warn("Webhook source '{}' requires a TLS client certificate, but"
                    + " the business listener asks for none (camel.ssl.clientAuthentication=WANT with TLS on"
                    + " camel.server): every delivery of it is refused", source));
        }
    }

    /** 401 when the source requires a client certificate and the connection's is missing or not the pinned one. */
    void check(WebhookSource source, Exchange exchange) throws WebhookRejection {
        ClientCertificatePin pin = required.get(source.name());
        if (pin == null) {
            return;
        }
        HttpServerRequest request = HttpRequests.request(exchange);
        String mismatch = request != null && !request.isSSL()
                ? "the request did not come over TLS, so it carries no client certificate"
                : pin.mismatch(peerCertificates(request));
        if (mismatch != null) {
            throw WebhookRejection.clientCertificateRejected(source.name(), mismatch);
        }
    }

    private static Certificate[] peerCertificates(HttpServerRequest request) {
        SSLSession session = request == null ? null : request.sslSession();
        if (session == null) {
            return null;
        }
        try {
            return session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return null;
        }
    }
}

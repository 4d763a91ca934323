package io.hookrail.ops;

import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;

/**
 * Takes the sender's {@code X-Correlation-Id} when it is safe to log and forward, or makes a new one.
 * <p>
 * The id lives in the exchange property {@value #PROPERTY}, which {@code camel.mdc.customProperties} puts in
 * the MDC of every log line of the exchange.
 */
public final class CorrelationIds {

    public static final String PROPERTY = HttpAnswers.CORRELATION_PROPERTY;
    // no spaces, quotes or control characters: the id goes into log lines and downstream headers verbatim
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private CorrelationIds() {
    }

    public static void assign(Exchange exchange) {
        exchange.setProperty(PROPERTY, choose(HttpRequests.header(exchange, HttpAnswers.CORRELATION_HEADER)));
    }

    /** The sender's id when it is safe, else a new random one. */
    public static String choose(String given) {
        return given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }
}

package io.hookrail.ops.jolokia;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.ops.HttpAnswers;

/**
 * What Hookrail checks of a Jolokia request before Jolokia sees it, on top of {@code jolokia-access.xml}: POST only,
 * to the Jolokia path itself; from Hawtio's exact origin ({@value #ORIGIN_KEY}); and, unless the operator's console
 * actions are granted ({@value #OPERATOR_KEY}), no browsing of messages (which hold personal data) and no route
 * start, stop, suspend or resume.
 * <p>
 * Jolokia itself answers a request without an {@code Origin} under strict checking with a 500; refusing here makes
 * every refusal a 403 problem+json.
 */
public final class JolokiaPolicy {

    public static final String ORIGIN_KEY = "hookrail.jolokia.origin";
    /** Hawtio's origin as {@code mvn -Phawtio} serves it (HawtioConsole's default port). */
    public static final String DEFAULT_ORIGIN = "http://127.0.0.1:8090";
    public static final String OPERATOR_KEY = "hookrail.jolokia.operatorActionsEnabled";

    /** A refused request: its HTTP status and the problem's detail. */
    public record Refusal(int status, String type, String detail) {
    }

    private final String origin;
    private final boolean operatorActions;

    public JolokiaPolicy(String origin, boolean operatorActions) {
        this.origin = checkOrigin(origin);
        this.operatorActions = operatorActions;
    }

    /** An origin is a scheme, a host and an optional port, nothing else: {@code http://127.0.0.1:8090}. */
    static String checkOrigin(String origin) {
        if (origin == null || origin.isBlank()) {
            throw new IllegalArgumentException(ORIGIN_KEY + " must be Hawtio's origin, e.g. " + DEFAULT_ORIGIN);
        }
        String trimmed = origin.trim();
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ORIGIN_KEY + " is not an origin: " + trimmed, e);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(ORIGIN_KEY + " must be scheme://host[:port] with no path, e.g. "
                    + DEFAULT_ORIGIN + ", not " + trimmed);
        }
        return trimmed;
    }

    public String origin() {
        return origin;
    }

    public boolean operatorActions() {
        return operatorActions;
    }

    /**
     * Checks one request to the Jolokia path.
     *
     * @param method     the HTTP method
     * @param subPath    the path after the Jolokia path ({@code ""} or {@code "/"} for Jolokia's POST endpoint)
     * @param origin     the {@code Origin} header, or null
     * @param body       the request body, or null
     * @return the refusal, or empty when Jolokia may answer the request
     */
    public Optional<Refusal> check(String method, String subPath, String origin, byte[] body) {
        if (!"POST".equals(method)) {
            return refuse("jolokia-method", "Jolokia answers POST requests only, not " + bounded(method));
        }
        if (origin == null) {
            return refuse("jolokia-origin", "A Jolokia request must come from Hawtio's page: no Origin header");
        }
        if (!this.origin.equals(origin)) {
            return refuse("jolokia-origin", "A Jolokia request must come from Hawtio's page (" + this.origin
                    + "), not from " + bounded(origin));
        }
        if (!(subPath.isEmpty() || "/".equals(subPath))) {
            return refuse("jolokia-path", "Jolokia requests are POSTed to its path itself, with the request as JSON body");
        }
        List<JsonNode> requests = new ArrayList<>();
        try {
            JsonNode json = body == null || body.length == 0 ? null : HttpAnswers.MAPPER.readTree(body);
            if (json == null || !(json.isObject() || json.isArray())) {
                return Optional.of(new Refusal(400, "jolokia-request",
                        "The body must be a Jolokia request: a JSON object, or an array of them"));
            }
            if (json.isObject()) {
                requests.add(json);
            } else {
                json.forEach(requests::add);
            }
        } catch (IOException e) {
            return Optional.of(new Refusal(400, "jolokia-request", "The body is not valid JSON"));
        }
        for (JsonNode request : requests) {
            if (!request.isObject()) {
                return Optional.of(new Refusal(400, "jolokia-request", "Each request of a bulk must be a JSON object"));
            }
            if (!operatorActions && "exec".equalsIgnoreCase(request.path("type").asText())) {
                String mbean = request.path("mbean").asText("");
                String operation = request.path("operation").asText("");
                Optional<String> action = operatorAction(mbean, operation);
                if (action.isPresent()) {
                    return refuse("jolokia-operator-action", action.get() + " is an operator's action, off on this"
                            + " instance (" + OPERATOR_KEY + "=false)");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The operator-only action an exec request is, if it is one: reading messages (broker queues, topics and
     * subscriptions, Camel's browsable endpoints, Hookrail's dead letters: they hold personal data), and route start,
     * stop, suspend and resume, flow version switches and polling re-runs. An MBean name that cannot be parsed counts as one (Jolokia would refuse it anyway).
     */
    static Optional<String> operatorAction(String mbean, String operation) {
        String op = operation.toLowerCase(Locale.ROOT);
        ObjectName name;
        try {
            name = new ObjectName(mbean);
        } catch (MalformedObjectNameException e) {
            return Optional.of("An operation on an unreadable MBean name");
        }
        String domain = name.getDomain();
        String type = name.getKeyProperty("type");
        if ("org.apache.activemq".equals(domain)
                && (op.startsWith("browse") || op.startsWith("getmessage") || op.startsWith("retrymessage"))) {
            return Optional.of("Reading the broker's messages (" + unquote(name.getKeyProperty("destinationName")) + ")");
        }
        if ("org.apache.camel".equals(domain)) {
            if (("endpoints".equals(type) || "services".equals(type)) && op.startsWith("browse")) {
                return Optional.of("Browsing Camel's messages");
            }
            if ("services".equals(type) && op.startsWith("listdeadletters")) {
                return Optional.of("Listing dead letters");
            }
            if ("services".equals(type) && (op.startsWith("promote") || op.startsWith("rollback"))) {
                return Optional.of("Promoting or rolling back a flow version");
            }
            if ("services".equals(type) && op.startsWith("rerun")) {
                return Optional.of("Re-running a polling source's window");
            }
            if ("routes".equals(type) && (op.startsWith("start") || op.startsWith("stop")
                    || op.startsWith("suspend") || op.startsWith("resume") || op.startsWith("restart"))) {
                return Optional.of("Starting or stopping a route (" + unquote(name.getKeyProperty("name")) + ")");
            }
        }
        return Optional.empty();
    }

    private static String unquote(String value) {
        if (value == null) {
            return "?";
        }
        return bounded(value.startsWith("\"") && value.endsWith("\"") && value.length() > 1
                ? value.substring(1, value.length() - 1) : value);
    }

    /** At most 100 characters of a request value, without control characters, for a problem's detail. */
    static String bounded(String value) {
        if (value == null) {
            return "";
        }
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
    }

    private static Optional<Refusal> refuse(String type, String detail) {
        return Optional.of(new Refusal(403, type, detail));
    }
}

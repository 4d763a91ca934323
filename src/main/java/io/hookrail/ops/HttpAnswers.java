package io.hookrail.ops;

import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Writes HTTP answers of Hookrail's platform-http routes: JSON bodies and RFC 9457 problem+json, always with
 * {@code X-Correlation-Id}.
 * <p>
 * The request's headers are cleared first, because platform-http echoes message headers as response headers.
 */
public final class HttpAnswers {

    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    /** Exchange property holding the exchange's correlation id. */
    public static final String CORRELATION_PROPERTY = "correlationId";
    public static final String PROBLEM_JSON = "application/problem+json";
    /**
     * Reads request bodies strictly: a duplicate key or anything after the JSON value is a 400, not silently the last
     * key or the first document.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private HttpAnswers() {
    }

    /** Answers with a JSON body. */
    public static Message json(Exchange exchange, int status, String body) {
        Message message = reset(exchange, status, "application/json");
        message.setBody(body);
        return message;
    }

    /** Answers with a body of any media type, such as a static page of the console. */
    public static Message content(Exchange exchange, int status, String contentType, Object body) {
        Message message = reset(exchange, status, contentType);
        message.setBody(body);
        return message;
    }

    /**
     * Answers with problem+json.
     *
     * @param type   a short slug, published as {@code urn:hookrail:problem:<type>}
     * @param extra  adds members such as {@code errors}; may be null
     */
    public static Message problem(Exchange exchange, int status, String type, String title, String detail,
                                  Consumer<ObjectNode> extra) {
        // the path is the sender's text: bounded and stripped of control characters before it is echoed
        String instance = Echo.safe(exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class), 200);
        Message message = reset(exchange, status, PROBLEM_JSON);
        ObjectNode problem = MAPPER.createObjectNode()
                .put("type", "urn:hookrail:problem:" + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", instance)
                .put("correlationId", message.getHeader(CORRELATION_HEADER, String.class));
        if (extra != null) {
            extra.accept(problem);
        }
        message.setBody(problem.toString());
        return message;
    }

    /**
     * Answers, with problem+json, a request that never reached a Camel route (refused by Vert.x's body handler, or
     * taken by no route), from the Vert.x routing context.
     */
    public static void problem(io.vertx.ext.web.RoutingContext ctx, int status, String type, String title,
                               String detail, Map<String, String> headers) {
        String correlationId = CorrelationIds.choose(ctx.request().getHeader(CORRELATION_HEADER));
        String body = MAPPER.createObjectNode()
                .put("type", "urn:hookrail:problem:" + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", Echo.safe(ctx.request().path(), 200))
                .put("correlationId", correlationId)
                .toString();
        var response = ctx.response().setStatusCode(status)
                .putHeader("Content-Type", PROBLEM_JSON)
                .putHeader(CORRELATION_HEADER, correlationId);
        headers.forEach(response::putHeader);
        response.end(body);
    }

    private static Message reset(Exchange exchange, int status, String contentType) {
        Message message = exchange.getMessage();
        String correlationId = exchange.getProperty(CORRELATION_PROPERTY, String.class);
        if (correlationId == null) {
            correlationId = CorrelationIds.choose(message.getHeader(CORRELATION_HEADER, String.class));
            exchange.setProperty(CORRELATION_PROPERTY, correlationId);
        }
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setHeader(CORRELATION_HEADER, correlationId);
        return message;
    }
}

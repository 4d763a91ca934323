package io.hookrail.ops.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.Echo;
import io.hookrail.ops.HttpAnswers;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one HTTP listener: counts them, answers 503 on a connection opened above
 * {@code maxConnections} (once its request is in: an answer needs one), and holds each connection to deadlines: a
 * request's headers must arrive within {@code requestTimeoutMillis} of the connection opening or of the previous
 * response (else the connection is closed), its body within {@code requestTimeoutMillis} of its headers (else 408).
 * A slow-loris client that trickles a request so that the idle timeout never fires still meets a deadline.
 */
final class ConnectionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    /** Seconds a refused client is told to wait. */
    private static final int RETRY_AFTER_SECONDS = 1;
    private static final long LINGER_MILLIS = 500;

    private final Vertx vertx;
    private final HttpListenerLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<HttpConnection, Watch> watches = new ConcurrentHashMap<>();

    ConnectionGuard(Vertx vertx, HttpListenerLimits limits) {
        this.vertx = vertx;
        this.limits = limits;
    }

    /** Counts a new connection and starts waiting for its first request. */
    void opened(HttpConnection connection) {
        Watch watch = new Watch(connection, open.incrementAndGet() > limits.maxConnections());
        watches.put(connection, watch);
        connection.closeHandler(closed -> {
            open.decrementAndGet();
            watches.remove(connection);
            watch.stop();
        });
        watch.awaitRequest();
    }

    /** The request handler behind the guard: refusals first, then the handler, under the request's deadline. */
    Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
        return request -> {
            Watch watch = watches.get(request.connection());
            if (watch != null) {
                watch.requestArrived();
                if (watch.overCap) {
                    LOG.warn("Refused a connection from {}: more than {} are open", request.remoteAddress(),
                            limits.maxConnections());
                    refuse(request, 503, "too-many-connections", "Too many connections",
                            "This listener has its maximum of " + limits.maxConnections() + " connections open; retry"
                                    + " later", true);
                    return;
                }
                long timer = vertx.setTimer(limits.requestTimeoutMillis(), fired -> {
                    if (!request.isEnded() && !request.response().ended()) {
                        refuse(request, 408, "request-timeout", "Request not received in time",
                                "The request did not arrive whole within " + limits.requestTimeoutMillis() + " ms",
                                false);
                    }
                });
                request.response().endHandler(ended -> {
                    vertx.cancelTimer(timer);
                    watch.awaitRequest();
                });
            }
            next.handle(request);
        };
    }

    /**
     * Vert.x's answer to what its decoder could not read as HTTP (a control character in a header, a malformed
     * %-escape, a request line or header over the limit), in problem+json: the same statuses as Vert.x's own
     * default handler (414, 431, else 400).
     */
    void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            refuse(request, 414, "request-line-too-long", "Request line too long",
                    "The request line is longer than this listener reads", false);
        } else if (cause instanceof TooLongHttpHeaderException) {
            refuse(request, 431, "headers-too-large", "Request headers too large",
                    "The request's headers are larger than this listener reads", false);
        } else {
            refuse(request, 400, "malformed-request", "Malformed HTTP request",
                    "The request is not valid HTTP/1.1: " + Echo.safe(cause == null ? "" : String.valueOf(cause.getMessage()), 200),
                    false);
        }
    }

    /** Answers problem+json and closes the connection. */
    private void refuse(HttpServerRequest request, int status, String type, String title, String detail,
                               boolean retry) {
        String correlationId = CorrelationIds.choose(request.getHeader(HttpAnswers.CORRELATION_HEADER));
        String body = HttpAnswers.MAPPER.createObjectNode()
                .put("type", "urn:hookrail:problem:" + type)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", Echo.safe(request.path() == null ? "" : request.path(), 200))
                .put("correlationId", correlationId)
                .toString();
        var response = request.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, HttpAnswers.PROBLEM_JSON)
                .putHeader(HttpAnswers.CORRELATION_HEADER, correlationId)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (retry) {
            response.putHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        // closed a moment after the answer: closing on unread request bytes would reset the connection, and a
        // reset can destroy the answer before the client reads it
        response.end(body).onComplete(done -> vertx.setTimer(LINGER_MILLIS, id -> request.connection().close()));
    }

    /** One connection's deadline for its next request. */
    private final class Watch {
        private final HttpConnection connection;
        private final boolean overCap;
        private long timer = -1;
        private boolean stopped;

        Watch(HttpConnection connection, boolean overCap) {
            this.connection = connection;
            this.overCap = overCap;
        }

        /** No request yet: close the connection unless one arrives in time. */
        synchronized void awaitRequest() {
            if (stopped || timer >= 0) {
                return;
            }
            timer = vertx.setTimer(limits.requestTimeoutMillis(), fired -> {
                synchronized (this) {
                    if (timer != fired) {
                        return;
                    }
                    timer = -1;
                }
                LOG.info("Closed a connection from {}: no whole request within {} ms", connection.remoteAddress(),
                        limits.requestTimeoutMillis());
                connection.close();
            });
        }

        synchronized void requestArrived() {
            cancel();
        }

        synchronized void stop() {
            stopped = true;
            cancel();
        }

        private void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }
}

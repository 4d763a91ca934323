package io.hookrail.ops.jolokia;

import java.util.Optional;

import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts {@link JolokiaPolicy} in front of Jolokia on the management server: a Vert.x route on the Jolokia path, ordered
 * before Camel's Jolokia route, that answers a refused request with problem+json and passes the others on.
 */
final class JolokiaGuard implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaGuard.class);
    /** Jolokia requests are small; a bulk read of every MBean is one line. */
    static final long MAX_BODY_BYTES = 256 * 1024;

    private final JolokiaPolicy policy;

    JolokiaGuard(JolokiaPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing: the management router exists once its server has started, see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        var properties = context.getPropertiesComponent();
        boolean enabled = properties.resolveProperty("camel.management.enabled").map(Boolean::parseBoolean).orElse(false)
                && properties.resolveProperty("camel.management.jolokiaEnabled").map(Boolean::parseBoolean).orElse(false);
        if (!enabled) {
            return;
        }
        int port = properties.resolveProperty("camel.management.port").map(Integer::parseInt).orElse(9876);
        String path = properties.resolveProperty("camel.management.jolokiaPath").orElse("/observe/jolokia");
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (router == null) {
            throw new IllegalStateException("No management HTTP server on port " + port + " to guard Jolokia on");
        }
        router.route(path + "*").order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(ctx -> guard(ctx, path))
                .failureHandler(ctx -> {
                    // the body handler's refusal, which Vert.x would answer in plain text
                    if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                        HttpAnswers.problem(ctx, 413, "payload-too-large", "Request body too large",
                                "A Jolokia request body is at most " + MAX_BODY_BYTES + " bytes",
                                java.util.Map.of(HttpHeaders.CACHE_CONTROL.toString(), "no-store"));
                    } else {
                        ctx.next();
                    }
                });
        LOG.info("Jolokia at {}: POST only, from origin {}; operator actions {}", path, policy.origin(),
                policy.operatorActions() ? "granted" : "refused");
    }

    private void guard(RoutingContext ctx, String path) {
        String requestPath = ctx.request().path();
        if (!requestPath.startsWith(path)) {
            ctx.next();
            return;
        }
        String subPath = requestPath.substring(path.length());
        if (!subPath.isEmpty() && !subPath.startsWith("/")) {
            ctx.next(); // another path that merely begins like Jolokia's: not Jolokia's business
            return;
        }
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
        Optional<JolokiaPolicy.Refusal> refusal = policy.check(ctx.request().method().name(), subPath,
                ctx.request().getHeader(HttpHeaders.ORIGIN), body);
        if (refusal.isEmpty()) {
            ctx.next();
            return;
        }
        JolokiaPolicy.Refusal refused = refusal.get();
        String correlationId = CorrelationIds.choose(ctx.request().getHeader(HttpAnswers.CORRELATION_HEADER));
        LOG.warn("Jolokia request refused ({}): {}", refused.status(), refused.detail());
        String answer = HttpAnswers.MAPPER.createObjectNode()
                .put("type", "urn:hookrail:problem:" + refused.type())
                .put("title", refused.status() == 403 ? "Forbidden" : "Bad request")
                .put("status", refused.status())
                .put("detail", refused.detail())
                .put("instance", JolokiaPolicy.bounded(requestPath))
                .put("correlationId", correlationId)
                .toString();
        ctx.response().setStatusCode(refused.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, HttpAnswers.PROBLEM_JSON)
                .putHeader(HttpAnswers.CORRELATION_HEADER, correlationId)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(answer);
    }
}

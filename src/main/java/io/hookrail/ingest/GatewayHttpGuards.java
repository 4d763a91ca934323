package io.hookrail.ingest;

import io.hookrail.ops.BusinessHttpEngine;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.ops.metrics.HookrailMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers, in problem+json, the two webhook refusals that happen outside route {@code webhook-ingest}: a body over
 * {@code camel.server.maxBodySize} (413, refused by Vert.x while reading, so it is never buffered whole), and a
 * delivery that arrives while the route is stopped during shutdown (503, so the sender retries instead of giving up
 * on a 404).
 */
final class GatewayHttpGuards implements StartupListener {

    /** The path of route webhook-ingest, {@code /webhooks/{source}}. */
    private static final java.util.regex.Pattern DELIVERY_PATH = java.util.regex.Pattern.compile("/webhooks/[^/]+/?");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing: the router exists once the HTTP server has started, see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = BusinessHttpEngine.router(context);
        long limit = BusinessHttpEngine.maxBodySize(context);
        // a failure handler on the routes of Camel's router: its error handlers are never called, as it is a sub-router
        HookrailMetrics metrics = context.getRegistry().lookupByNameAndType(HookrailMetrics.BEAN, HookrailMetrics.class);
        WebhookSources sources = context.getRegistry().lookupByNameAndType("webhookSources", WebhookSources.class);
        router.route("/webhooks/*").failureHandler(ctx -> {
            if (ctx.statusCode() == 413) {
                metrics.webhookReceived(knownSource(sources, ctx), "unknown", "too_large");
                answer(ctx, WebhookRejection.tooLarge(limit));
            } else {
                ctx.next();
            }
        });
        // after every Camel route, so it only answers when webhook-ingest is not there to; a request webhook-ingest
        // would not take anyway (another method or path) goes on to the 404/405 of ops.UnmatchedRequests
        router.route("/webhooks/*").order(Integer.MAX_VALUE - 1).handler(ctx -> {
            if (ctx.request().method() != HttpMethod.POST || !DELIVERY_PATH.matcher(ctx.normalizedPath()).matches()) {
                ctx.next();
                return;
            }
            metrics.webhookReceived(knownSource(sources, ctx), "unknown", "unavailable");
            answer(ctx, WebhookRejection.shuttingDown(5));
        });
    }

    /** The source the path names when it is a configured one; else {@code unknown}: a label is never free text. */
    private static String knownSource(WebhookSources sources, RoutingContext ctx) {
        String path = ctx.request().path();
        String name = path.startsWith("/webhooks/") ? path.substring("/webhooks/".length()) : "";
        return sources.find(name).map(WebhookSource::name).orElse("unknown");
    }

    private static void answer(RoutingContext ctx, WebhookRejection rejection) {
        HttpAnswers.problem(ctx, rejection.status(), rejection.problemType(), rejection.title(), rejection.detail(),
                rejection.retryAfterSeconds() == null ? java.util.Map.of()
                        : java.util.Map.of("Retry-After", String.valueOf(rejection.retryAfterSeconds())));
    }
}

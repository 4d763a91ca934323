package io.hookrail.ops;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

/**
 * Answers, in problem+json, a request no route of the business HTTP port takes: 405 with {@code Allow} when an
 * endpoint has the path but not the method, else 404; and a body over {@code camel.server.maxBodySize} on any route
 * (413; the gateway's own handler counts its deliveries first). Without it Vert.x answers 405 with an empty body, 404
 * with an HTML page and 413 in plain text: Camel's router is a sub-router, so error handlers set on it are never
 * called; this is a last route of its own instead.
 */
final class UnmatchedRequests implements StartupListener {

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}/]+}");

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing: the router exists once the HTTP server has started, see below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        VertxPlatformHttpRouter router = BusinessHttpEngine.router(context);
        long limit = BusinessHttpEngine.maxBodySize(context);
        router.route().order(Integer.MAX_VALUE)
                .handler(ctx -> answer(context, ctx))
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                        HttpAnswers.problem(ctx, 413, "payload-too-large", "Request body too large",
                                "The body exceeds the limit of " + limit + " bytes", Map.of());
                    } else {
                        ctx.next();
                    }
                });
    }

    private static void answer(CamelContext context, RoutingContext ctx) {
        Set<String> allowed = allowedMethods(context, ctx.normalizedPath());
        if (allowed.isEmpty()) {
            HttpAnswers.problem(ctx, 404, "not-found", "Not found", "There is no endpoint at this path", Map.of());
        } else {
            HttpAnswers.problem(ctx, 405, "method-not-allowed", "Method not allowed",
                    Echo.safe(ctx.request().method().name(), 16) + " is not allowed here; allowed: "
                            + String.join(", ", allowed), Map.of("Allow", String.join(", ", allowed)));
        }
    }

    /** The methods of the platform-http endpoints whose path matches, as Vert.x matches them; empty when none does. */
    static Set<String> allowedMethods(CamelContext context, String path) {
        Set<String> allowed = new TreeSet<>();
        if (path == null) {
            return allowed;
        }
        for (var endpoint : context.getEndpoints()) {
            if (endpoint instanceof PlatformHttpEndpoint http && pattern(http).matcher(path).matches()) {
                String restrict = http.getHttpMethodRestrict();
                if (restrict == null || restrict.isBlank()) {
                    continue; // every method: it would have taken the request
                }
                for (String method : restrict.split(",")) {
                    allowed.add(method.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        return allowed;
    }

    /** The endpoint's path as a regular expression: a {@code {param}} is one segment, a prefix endpoint takes more. */
    private static Pattern pattern(PlatformHttpEndpoint endpoint) {
        String path = endpoint.getPath();
        boolean prefix = endpoint.isMatchOnUriPrefix() || path.endsWith("*");
        if (path.endsWith("*")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PATH_PARAMETER.matcher(path);
        int at = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(path.substring(at, parameter.start()))).append("[^/]+");
            at = parameter.end();
        }
        regex.append(Pattern.quote(path.substring(at))).append(prefix ? "(/.*)?" : "/?");
        return Pattern.compile(regex.toString());
    }
}

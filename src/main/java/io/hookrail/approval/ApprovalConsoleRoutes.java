package io.hookrail.approval;

import java.util.Optional;

import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The approver console: the static page {@code GET /console/approvals} and its files under {@code /console/}; the
 * page itself calls the approvals API with the approver's token.
 * <p>
 * The files are public (they hold no data); every answer forbids caching, framing, MIME sniffing, referrers and any
 * script or style that is not one of the console's own files.
 */
public class ApprovalConsoleRoutes extends RouteBuilder {

    /** No inline script or style, no plugins, no framing, no other base URL or form target. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'; object-src 'none'";

    @Override
    public void configure() {
        ConsoleAssets assets = ConsoleAssets.load();

        PlatformHttpEndpoint console = endpoint("platform-http:/console?matchOnUriPrefix=true&httpMethodRestrict=GET",
                PlatformHttpEndpoint.class);
        console.setHeaderFilterStrategy(new CacheControlPassingFilter());

        from(console)
                .routeId("approval-console")
                .onException(Exception.class).handled(true)
                    .process(AdminRequests::fail)
                    .process(exchange -> protect(exchange.getMessage()))
                .end()
                .process(CorrelationIds::assign)
                .process(exchange -> serve(exchange, assets));
    }

    static void serve(Exchange exchange, ConsoleAssets assets) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        Optional<ConsoleAssets.Asset> asset = assets.find(path);
        Message answer = asset.isPresent()
                ? HttpAnswers.content(exchange, 200, asset.get().contentType(), asset.get().body())
                : HttpAnswers.problem(exchange, 404, "not-found", "Not found",
                        "There is no console page at " + AdminRequests.printable(path), null);
        protect(answer);
    }

    /** The headers of every console answer, found or not. */
    static void protect(Message answer) {
        answer.setHeader("Cache-Control", "no-store");
        answer.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        answer.setHeader("X-Content-Type-Options", "nosniff");
        answer.setHeader("Referrer-Policy", "no-referrer");
        answer.setHeader("X-Frame-Options", "DENY");
    }

    /** Camel's HTTP header filter, except that it lets {@code Cache-Control} out, which it drops by default. */
    static final class CacheControlPassingFilter extends HttpHeaderFilterStrategy {
        CacheControlPassingFilter() {
            getOutFilter().remove("cache-control");
        }
    }
}

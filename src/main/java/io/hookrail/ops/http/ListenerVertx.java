package io.hookrail.ops.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxWrapper;

/**
 * The Vert.x instance behind Camel's HTTP servers, bound in the registry so that both platform-http servers (business
 * and management) use it. Camel 4.17 builds their {@link HttpServerOptions} itself, with no idle timeout, no
 * connection cap and no client authentication (it copies only the key and trust managers of
 * {@code camel.ssl.*}); every server created here gets {@link HttpListenerLimits} applied instead, and answers an
 * {@code Upgrade: h2c} request in HTTP/1.1: Vert.x's clear-text upgrade path loses frames now and then (the JDK's
 * HttpClient, which asks for it by default, then reads HTTP/1.1 bytes as an HTTP/2 frame), and no webhook sender or
 * scraper needs it.
 */
final class ListenerVertx extends VertxWrapper {

    private final HttpListenerLimits limits;

    ListenerVertx(Vertx vertx, HttpListenerLimits limits) {
        super((VertxInternal) vertx);
        this.limits = limits;
    }

    @Override
    public HttpServer createHttpServer(HttpServerOptions options) {
        HttpServerOptions tuned = new HttpServerOptions(options)
                .setIdleTimeout(limits.idleTimeoutSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setHttp2ClearTextEnabled(false);
        if (tuned.isSsl()) {
            // camel.ssl.clientAuthentication, which camel-vertx-common's setupSSLOptions leaves out
            tuned.setClientAuth(limits.clientAuth());
        }
        return new GuardedHttpServer(delegate, tuned, new ConnectionGuard(this, limits));
    }

    @Override
    public HttpServer createHttpServer() {
        return createHttpServer(new HttpServerOptions());
    }
}

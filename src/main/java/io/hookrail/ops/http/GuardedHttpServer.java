package io.hookrail.ops.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;

/** Vert.x's HTTP server with a {@link ConnectionGuard} in front of whatever request handler Camel installs. */
final class GuardedHttpServer extends HttpServerImpl {

    private final ConnectionGuard guard;

    GuardedHttpServer(VertxInternal vertx, HttpServerOptions options, ConnectionGuard guard) {
        super(vertx, options);
        this.guard = guard;
        super.connectionHandler(guard::opened);
        super.invalidRequestHandler(guard::invalid);
    }

    /** Camel sets Vert.x's default at {@code listen()}: Hookrail's answers in problem+json instead. */
    @Override
    public synchronized HttpServer invalidRequestHandler(Handler<HttpServerRequest> handler) {
        return super.invalidRequestHandler(guard::invalid);
    }

    @Override
    public synchronized HttpServer requestHandler(Handler<HttpServerRequest> handler) {
        return super.requestHandler(guard.guarding(handler));
    }

    @Override
    public synchronized HttpServer connectionHandler(Handler<HttpConnection> handler) {
        return super.connectionHandler(connection -> {
            guard.opened(connection);
            handler.handle(connection);
        });
    }
}

package io.hookrail.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpEngine;

/**
 * The platform-http engine, pinned to the business HTTP port.
 * <p>
 * With the management server on its own port there are two Vert.x servers in the registry, and Camel 4.17's engine
 * then cannot tell which is the business one: it falls back to port 8080 and routes fail to start on any other port.
 */
public final class BusinessHttpEngine extends VertxPlatformHttpEngine {

    private final int port;

    public BusinessHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public int getServerPort() {
        return port;
    }

    /** The Vert.x router of the business HTTP server (it exists once the server has started). */
    public static VertxPlatformHttpRouter router(CamelContext context) {
        int port = context.getPropertiesComponent().resolveProperty("camel.server.port").map(Integer::parseInt)
                .orElseThrow();
        return VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
    }

    /** {@code camel.server.maxBodySize}, or -1 where it is not set. */
    public static long maxBodySize(CamelContext context) {
        return context.getPropertiesComponent().resolveProperty("camel.server.maxBodySize").map(Long::parseLong)
                .orElse(-1L);
    }
}

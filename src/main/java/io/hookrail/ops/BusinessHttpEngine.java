package io.hookrail.ops;

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
}

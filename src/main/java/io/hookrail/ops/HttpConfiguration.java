package io.hookrail.ops;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

/** Binds the {@code platform-http-engine} that serves Hookrail's routes on {@code camel.server.port}. */
@Configuration
public class HttpConfiguration implements CamelConfiguration {

    @BindToRegistry("platform-http-engine")
    public PlatformHttpEngine platformHttpEngine(@PropertyInject("camel.server.port") int port) {
        return new BusinessHttpEngine(port);
    }
}

package io.hookrail.ops;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;

/**
 * Binds the {@code platform-http-engine} that serves Hookrail's routes on {@code camel.server.port}, and answers what
 * none of them takes ({@link UnmatchedRequests}).
 */
@Configuration
public class HttpConfiguration implements CamelConfiguration {

    @BindToRegistry("platform-http-engine")
    public PlatformHttpEngine platformHttpEngine(@PropertyInject("camel.server.port") int port) {
        return new BusinessHttpEngine(port);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new UnmatchedRequests());
    }
}

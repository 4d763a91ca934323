package io.hookrail.ops;

import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the {@code platform-http-engine} that serves Hookrail's routes on {@code camel.server.port}, and answers what
 * none of them takes ({@link UnmatchedRequests}); and this instance's {@link InstanceIdentity}, which defaults to the
 * host and that port.
 */
@Configuration
public class HttpConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConfiguration.class);

    @BindToRegistry(InstanceIdentity.BEAN)
    public InstanceIdentity instanceIdentity(@PropertyInject(value = "hookrail.instance.id", defaultValue = "") String id,
                                             @PropertyInject("camel.server.port") int port) {
        InstanceIdentity identity = InstanceIdentity.resolve(id, port);
        LOG.info("Instance id {} ({})", identity, identity.configured() ? "hookrail.instance.id" : "host and HTTP port");
        return identity;
    }

    @BindToRegistry("platform-http-engine")
    public PlatformHttpEngine platformHttpEngine(@PropertyInject("camel.server.port") int port) {
        return new BusinessHttpEngine(port);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        context.addStartupListener(new UnmatchedRequests());
    }
}

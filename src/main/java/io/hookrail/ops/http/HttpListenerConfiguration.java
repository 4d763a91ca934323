package io.hookrail.ops.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Binds the one {@link io.vertx.core.Vertx} that Camel's business and management HTTP servers use (Camel takes a
 * single Vert.x from the registry), so that every listener gets {@link HttpListenerLimits}; it is closed after both
 * servers have stopped.
 */
@Configuration
public class HttpListenerConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        HttpListenerLimits limits = HttpListenerLimits.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        Vertx vertx = new ListenerVertx(Vertx.vertx(), limits);
        context.getRegistry().bind("hookrailVertx", vertx);
        // added before Camel Main adds its HTTP servers, so stopped after them (services stop in reverse order)
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() throws Exception {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }, true, false);
    }
}

package io.hookrail.ops.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.LoggerFactory;

/**
 * Binds the one {@link io.vertx.core.Vertx} that Camel's business and management HTTP servers use (Camel takes a
 * single Vert.x from the registry), so that every listener gets {@link HttpListenerLimits}; it is closed once the
 * context has stopped both servers.
 */
@Configuration
public class HttpListenerConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        HttpListenerLimits limits = HttpListenerLimits.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        Vertx vertx = new ListenerVertx(Vertx.vertx(), limits);
        context.getRegistry().bind("hookrailVertx", vertx);
        // once the context has stopped every service, the HTTP servers included (a service of our own could be
        // stopped before them, and their close would then fail on a closed Vert.x)
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                try {
                    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LoggerFactory.getLogger(HttpListenerConfiguration.class).warn("Vert.x did not close", e);
                }
            }
        });
    }
}

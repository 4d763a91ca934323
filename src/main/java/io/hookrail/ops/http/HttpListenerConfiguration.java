package io.hookrail.ops.http;

import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.LoggerFactory;

/**
 * Binds the one {@link io.vertx.core.Vertx} that Camel's business and management HTTP servers use (Camel takes a
 * single Vert.x from the registry), so that every listener gets {@link HttpListenerLimits}; it is closed once the
 * context has stopped both servers.
 * <p>
 * Its worker pool ({@value #WORKER_THREADS}) runs every request's route: platform-http hands each one to a worker
 * and the route blocks there until answered, so a webhook waiting for its group commit holds a worker. The pool
 * bounds how many deliveries can wait in one batch (Vert.x's default of 20 would cap every batch at 20).
 */
@Configuration
public class HttpListenerConfiguration implements CamelConfiguration {

    public static final String WORKER_THREADS = "hookrail.http.workerThreads";

    @Override
    public void configure(CamelContext context) throws Exception {
        HttpListenerLimits limits = HttpListenerLimits.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        int workers = context.getPropertiesComponent().resolveProperty(WORKER_THREADS).map(String::trim)
                .map(Integer::parseInt).orElse(128);
        if (workers < 1) {
            throw new IllegalArgumentException(WORKER_THREADS + " must be at least 1, was " + workers);
        }
        Vertx vertx = new ListenerVertx(Vertx.vertx(new VertxOptions().setWorkerPoolSize(workers)), limits);
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

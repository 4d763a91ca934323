package io.hookrail.flow;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.RouteWatcherReloadStrategy;

/**
 * Maps {@code hookrail.routes.dir} to Camel Main's route loading and reload settings. Empty (the default): the flows
 * come from the classpath ({@code camel.main.routesIncludePattern}) and nothing is watched. Set: the flows come from
 * that directory's {@code *.camel.yaml} files, and only the platform's shared shapes ({@value #PLATFORM_ROUTES})
 * from the classpath, so no flow is loaded twice under one route id; Camel Main watches the directory
 * ({@code routesReloadEnabled}, without {@code routesReloadRemoveAllRoutes}, which would remove the Java routes), and
 * a changed file is swapped in by {@link FlowReload}, not by Camel's own reaction.
 */
public final class RoutesDirectory extends MainListenerSupport {

    public static final String KEY = "hookrail.routes.dir";
    static final String PLATFORM_ROUTES = "classpath:routes/flow-support.camel.yaml";
    static final String FLOW_FILES = "*.camel.yaml";

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        // before Camel Main reads its camel.main.* keys: overrides win over application.properties
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        String value = properties.resolveProperty(KEY).orElse("").trim();
        if (value.isEmpty()) {
            return;
        }
        Path directory = Path.of(value).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException(KEY + " = " + value + ": no such directory");
        }
        properties.addOverrideProperty("camel.main.routesIncludePattern",
                PLATFORM_ROUTES + ",file:" + directory + "/" + FLOW_FILES);
        properties.addOverrideProperty("camel.main.routesReloadEnabled", "true");
        properties.addOverrideProperty("camel.main.routesReloadDirectory", directory.toString());
        properties.addOverrideProperty("camel.main.routesReloadPattern", FLOW_FILES);
        properties.addOverrideProperty("camel.main.routesReloadRemoveAllRoutes", "false");
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        CamelContext context = main.getCamelContext();
        RouteWatcherReloadStrategy watcher = context.hasService(RouteWatcherReloadStrategy.class);
        if (watcher != null) {
            // Camel's watcher sets its own reaction only when none is set (doStart)
            watcher.setResourceReload(new FlowReload(context));
        }
    }
}

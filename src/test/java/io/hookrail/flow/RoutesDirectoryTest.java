package io.hookrail.flow;

import java.nio.file.Path;

import org.apache.camel.main.Main;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hookrail.routes.dir turns Camel Main's route watcher on, for that directory, or refuses a missing one. */
class RoutesDirectoryTest {

    @TempDir
    Path routes;

    @Test
    void aDirectoryIsWatchedWithoutRemovingAllRoutes() throws Exception {
        Main main = main(routes.toString());
        try {
            main.start();
            RouteWatcherReloadStrategy watcher = main.getCamelContext().hasService(RouteWatcherReloadStrategy.class);
            assertNotNull(watcher, "no route watcher");
            assertEquals(routes.toAbsolutePath().toString(), watcher.getFolder());
            assertEquals(RoutesDirectory.FLOW_FILES, watcher.getPattern());
            assertFalse(watcher.isRemoveAllRoutes(), "a reload would remove every route");
            assertTrue(watcher.getResourceReload() instanceof FlowReload, "Camel's own reaction would reload");
        } finally {
            main.stop();
        }
    }

    @Test
    void emptyWatchesNothing() throws Exception {
        Main main = main("");
        try {
            main.start();
            assertNull(main.getCamelContext().hasService(RouteWatcherReloadStrategy.class));
        } finally {
            main.stop();
        }
    }

    @Test
    void aMissingDirectoryIsRefusedNamingTheKey() {
        Main main = main(routes.resolve("missing").toString());
        Exception refused = assertThrows(Exception.class, main::start);
        assertTrue(String.valueOf(refused.getMessage()).contains(RoutesDirectory.KEY), refused.toString());
    }

    /** A bare Camel Main with only the listener: no Hookrail configuration, nothing but the settings under test. */
    private static Main main(String directory) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false"); // not Hookrail's application.properties
        main.addMainListener(new RoutesDirectory());
        main.addOverrideProperty(RoutesDirectory.KEY, directory);
        return main;
    }
}

package io.hookrail;

import io.hookrail.ops.EnvironmentOverrides;
import org.apache.camel.main.Main;

/**
 * Starts Hookrail: Camel Main scans this package for configuration classes and Java routes, and loads the YAML
 * routes named in {@code application.properties}.
 */
public final class HookrailApplication {

    private HookrailApplication() {
    }

    public static void main(String... args) throws Exception {
        Main main = new Main(HookrailApplication.class);
        EnvironmentOverrides.from(System.getenv()).forEach(main::addOverrideProperty);
        main.run(args);
    }
}

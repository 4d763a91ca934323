package io.hookrail;

import io.hookrail.ops.EnvironmentOverrides;
import io.hookrail.ops.logging.LogFormat;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Hookrail: Camel Main scans this package for configuration classes and Java routes, and loads the YAML
 * routes named in {@code application.properties}.
 * <p>
 * An exception no thread catches (a failed startup, among them) is logged, so it is masked and, with JSON logs, one
 * JSON line like every other, instead of the JVM printing it to stderr; the JVM then behaves as before (a failed
 * {@code main} exits with status 1).
 */
public final class HookrailApplication {

    private HookrailApplication() {
    }

    public static void main(String... args) throws Exception {
        Logger log = LoggerFactory.getLogger(HookrailApplication.class);
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) ->
                log.error("Uncaught exception in thread {}", thread.getName(), failure));
        LogFormat.warnIfUnknown();
        Main main = new Main(HookrailApplication.class);
        EnvironmentOverrides.from(System.getenv()).forEach(main::addOverrideProperty);
        main.run(args);
    }
}

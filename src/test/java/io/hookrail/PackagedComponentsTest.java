package io.hookrail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hookrail.support.HookrailInstance;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every Camel component a running Hookrail uses comes from a dependency the pom declares outside the test scope: the
 * test classpath holds more Camel modules than the packaged jar (camel-test-main-junit5 brings them), so a component
 * only the tests supply works in every test and fails {@code java -jar target/hookrail.jar} at startup.
 */
class PackagedComponentsTest {

    private static final Pattern CAMEL_JAR = Pattern.compile("(camel-[a-z0-9-]+?)-\\d[^/]*\\.jar$");

    @Test
    void everyComponentInUseIsADeclaredRuntimeDependency() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Set<String> missing = new TreeSet<>();
        try (HookrailInstance hookrail = HookrailInstance.builder().start()) {
            CamelContext context = hookrail.camelContext();
            for (String name : context.getComponentNames()) {
                String jar = context.getComponent(name).getClass().getProtectionDomain().getCodeSource().getLocation()
                        .getPath();
                Matcher artifact = CAMEL_JAR.matcher(jar);
                if (artifact.find() && !declaredForRuntime(pom, artifact.group(1))) {
                    missing.add(name + " (" + artifact.group(1) + ")");
                }
            }
        }
        assertEquals(Set.of(), missing, "components in use that only the test classpath supplies");
    }

    /**
     * The artifact is a dependency of the pom without {@code <scope>test</scope>}, or comes with one that is (Camel
     * Main's own modules; camel-platform-http with camel-platform-http-vertx).
     */
    private static boolean declaredForRuntime(String pom, String artifactId) {
        if (Set.of("camel-main", "camel-core-engine", "camel-base", "camel-base-engine", "camel-support",
                "camel-management", "camel-cluster", "camel-core-languages", "camel-bean", "camel-platform-http").contains(artifactId)) {
            return true;
        }
        Matcher dependency = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>(.*?)</dependency>",
                Pattern.DOTALL).matcher(pom);
        while (dependency.find()) {
            if (!dependency.group(1).contains("<scope>test</scope>")) {
                return true;
            }
        }
        return false;
    }
}

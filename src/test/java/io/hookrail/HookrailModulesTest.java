package io.hookrail;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hookrail lists its configuration classes and route builders instead of scanning for them: none may be left out. */
class HookrailModulesTest {

    private static final Path MAIN_CLASSES = Path.of("target/classes");

    @Test
    void everyConfigurationClassAndRouteBuilderOfTheApplicationIsListed() throws IOException {
        Set<Class<?>> inApplication = new HashSet<>();
        try (Stream<Path> files = Files.walk(MAIN_CLASSES.resolve("io/hookrail"))) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                Class<?> type = load(file);
                boolean module = CamelConfiguration.class.isAssignableFrom(type) || RoutesBuilder.class.isAssignableFrom(type);
                if (module && !Modifier.isAbstract(type.getModifiers()) && !type.isAnonymousClass()) {
                    inApplication.add(type);
                }
            }
        }

        Main main = HookrailApplication.newMain();
        Set<Class<?>> listed = new HashSet<>();
        main.configure().getConfigurations().forEach(configuration -> listed.add(configuration.getClass()));
        main.configure().getRoutesBuilders().forEach(builder -> listed.add(builder.getClass()));

        assertEquals(inApplication, listed);
    }

    private static Class<?> load(Path classFile) {
        String name = MAIN_CLASSES.relativize(classFile).toString().replace('/', '.').replaceAll("\\.class$", "");
        try {
            return Class.forName(name, false, HookrailModulesTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}

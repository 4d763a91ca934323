package io.hookrail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every key set in application.properties has its row in the configuration reference, docs/configuration.md. A row's
 * first column names keys in backticks; {@code .suffix} continues the key before it
 * ({@code `a.b.c`, `.d`} is {@code a.b.c} and {@code a.b.d}), {@code <name>} stands for one segment and
 * {@code {x,y}} for any of its values.
 */
class ConfigurationReferenceTest {

    private static final Path BASE = Path.of(System.getProperty("user.dir"));
    private static final Path PROPERTIES = BASE.resolve("src/main/resources/application.properties");
    private static final Path REFERENCE = BASE.resolve("docs/configuration.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyKeyInApplicationPropertiesIsInTheReference() throws IOException {
        List<Pattern> documented = documentedKeys();
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(PROPERTIES)) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#") && !trimmed.startsWith("!") && trimmed.contains("=")) {
                keys.add(trimmed.substring(0, trimmed.indexOf('=')).strip());
            }
        }
        assertTrue(keys.size() > 100, "read only " + keys.size() + " keys");
        List<String> missing = keys.stream()
                .filter(key -> documented.stream().noneMatch(pattern -> pattern.matcher(key).matches()))
                .toList();
        assertEquals(List.of(), missing, "keys of application.properties with no row in docs/configuration.md");
    }

    private static List<Pattern> documentedKeys() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (String row : Files.readAllLines(REFERENCE)) {
            if (!row.startsWith("| `")) {
                continue;
            }
            String previous = null;
            Matcher code = CODE.matcher(row.split("\\|")[1]);
            while (code.find()) {
                String name = code.group(1);
                if (name.startsWith(".") && previous != null) {
                    name = previous.substring(0, previous.lastIndexOf('.')) + name;
                }
                names.add(name);
                previous = name;
            }
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String name : names) {
            StringBuilder regex = new StringBuilder();
            Matcher part = Pattern.compile("<[^>]+>|\\{([^}]*)}").matcher(name);
            int at = 0;
            while (part.find()) {
                regex.append(Pattern.quote(name.substring(at, part.start())));
                regex.append(part.group(1) == null ? "[^.]+" : "(" + String.join("|",
                        java.util.Arrays.stream(part.group(1).split(",")).map(Pattern::quote).toList()) + ")");
                at = part.end();
            }
            regex.append(Pattern.quote(name.substring(at)));
            patterns.add(Pattern.compile(regex.toString()));
        }
        return patterns;
    }
}

package io.hookrail;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.hookrail.support.MarkdownAnchors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README is a front page and docs/ holds the rest: every relative link between them (and from bench/ and
 * examples/) must reach a file that exists, and every {@code #anchor} a heading of that file, by GitHub's rules.
 */
class DocsLinksTest {

    private static final Path BASE = Path.of(System.getProperty("user.dir"));
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<Path> files = markdownFiles();
        assertTrue(files.size() > 10, "found only " + files);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path file : files) {
            boolean fenced = false;
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                if (fenced) {
                    continue;
                }
                Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll("``"));
                while (link.find()) {
                    String problem = problem(file, link.group(1));
                    checked++;
                    if (problem != null) {
                        broken.add(BASE.relativize(file) + ":" + (i + 1) + ": " + link.group(1) + ": " + problem);
                    }
                }
            }
        }
        assertTrue(checked > 30, "checked only " + checked + " links");
        assertEquals(List.of(), broken);
    }

    @Test
    void theReadmeIsAFrontPage() throws IOException {
        List<String> readme = Files.readAllLines(BASE.resolve("README.md"));
        assertTrue(readme.size() <= 150, "README.md has " + readme.size() + " lines; the rest belongs in docs/");
        assertTrue(readme.contains("mvn -q package -DskipTests && java -Xmx256m -jar target/hookrail.jar"), "first command");
        assertTrue(readme.contains("mvn test"), "second command");
    }

    @Test
    void anchorsFollowGitHubsRules() {
        assertEquals("runbook-hookraildeadletters", MarkdownAnchors.slug("Runbook: HookrailDeadLetters"));
        assertEquals("what-is-encrypted-retention-key-rotation", MarkdownAnchors.slug("What is encrypted, retention, key rotation"));
        assertEquals("the-flow_entry-template", MarkdownAnchors.slug("The `flow_entry` template"));
    }

    /** Why a link does not resolve, or null when it does (or points outside the repository: not ours to check). */
    private static String problem(Path from, String target) throws IOException {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto:
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? from : from.getParent().resolve(path).normalize();
        if (!resolved.startsWith(BASE)) {
            return "outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!resolved.toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        return MarkdownAnchors.of(resolved).contains(anchor) ? null : "no heading with anchor #" + anchor;
    }

    private static List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(BASE.resolve("README.md"), BASE.resolve("bench/README.md"),
                BASE.resolve("examples/events/README.md")));
        try (Stream<Path> docs = Files.walk(BASE.resolve("docs"))) {
            docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        return files;
    }
}

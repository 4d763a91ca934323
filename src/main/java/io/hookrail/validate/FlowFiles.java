package io.hookrail.validate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;


/**
 * The files {@code validate} reads: route files ({@code *.camel.yaml}), Kamelets ({@code *.kamelet.yaml}), data
 * contracts ({@code schemas/<type>/v<N>.json}) and {@code policies.yaml}, from a directory (searched in depth) or,
 * without one, from the classpath Hookrail runs with.
 */
final class FlowFiles {

    /** Where Hookrail reads them: routesIncludePattern, the Kamelets, EventContracts, PolicyConfiguration, sources. */
    private static final List<String> CLASSPATH_FOLDERS = List.of("routes", "kamelets", "schemas", "policies.yaml",
            "application.properties");

    private FlowFiles() {
    }

    static List<ValidatedFile> in(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<ValidatedFile> files = new ArrayList<>();
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                ValidatedFile file = new ValidatedFile(path.toString(), "");
                if (file.isRoutes() || file.isKamelet() || file.isSchema() || file.isPolicies()
                        || file.isProperties()) {
                    files.add(new ValidatedFile(path.toString(), Files.readString(path, StandardCharsets.UTF_8)));
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir, e);
        }
    }

    static List<ValidatedFile> onClasspath() {
        List<ValidatedFile> files = new ArrayList<>();
        for (String folder : CLASSPATH_FOLDERS) {
            URL url = FlowFiles.class.getClassLoader().getResource(folder);
            if (url == null) {
                continue;
            }
            try {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    // the packaged jar: its folder read through a zip file system
                    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                        files.addAll(classpathFiles(jar.getPath(folder), folder));
                    }
                } else {
                    files.addAll(classpathFiles(Path.of(uri), folder));
                }
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException("cannot read classpath:" + folder, e);
            }
        }
        return files;
    }

    /** The flow files under a classpath folder, named {@code classpath:<folder>/<path>}. */
    private static List<ValidatedFile> classpathFiles(Path root, String folder) throws IOException {
        List<ValidatedFile> files = new ArrayList<>();
        for (ValidatedFile file : in(root)) {
            String relative = root.relativize(root.getFileSystem().getPath(file.name())).toString();
            String name = "classpath:" + (relative.isEmpty() ? folder : folder + "/" + relative);
            ValidatedFile named = new ValidatedFile(name, file.text());
            if (named.isRoutes() || named.isKamelet() || named.isSchema() || named.isPolicies()
                    || named.isProperties()) {
                files.add(named);
            }
        }
        return files;
    }
}

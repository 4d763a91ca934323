package io.hookrail.approval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files (the approver page, and the reconciliation page of {@code io.hookrail.reconcile}), read once
 * from {@code console/} on the classpath and found by exact request path.
 * <p>
 * Only the paths listed here exist: a request never names a resource or a file of its own, so no path can reach
 * outside the folder.
 */
final class ConsoleAssets {

    /** One file of the console with its media type. */
    record Asset(String contentType, byte[] body) {
    }

    private static final String FOLDER = "console/";
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";

    private final Map<String, Asset> byPath;

    private ConsoleAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    /** Reads every console file; a missing one stops startup rather than answering 404 later. */
    static ConsoleAssets load() {
        return new ConsoleAssets(Map.of(
                "/console/approvals", read("approvals.html", HTML),
                "/console/approvals.js", read("approvals.js", JAVASCRIPT),
                "/console/approvals.css", read("approvals.css", CSS),
                "/console/reconciliation", read("reconciliation.html", HTML),
                "/console/reconciliation.js", read("reconciliation.js", JAVASCRIPT),
                "/console/reconciliation.css", read("reconciliation.css", CSS)));
    }

    Optional<Asset> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    private static Asset read(String file, String contentType) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(FOLDER + file)) {
            if (in == null) {
                throw new IllegalStateException("The console file " + FOLDER + file + " is not on the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the console file " + FOLDER + file, e);
        }
    }
}

package io.hookrail.flow;

/**
 * A run is pinned to a version of its flow that no route serves any more: it is retried, then dead-lettered, and
 * runs once the version's route is back (or is replayed then).
 */
public final class FlowVersionMissingException extends RuntimeException {

    public FlowVersionMissingException(String flow, String version, String uri) {
        super("version " + version + " of flow " + flow + " is not deployed: no route consumes " + uri
                + ", and runs that started on it stay on it");
    }
}

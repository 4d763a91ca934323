package io.hookrail.ingest;

/**
 * Puts an accepted event on the broker. The one seam of the ingest send path: a batching publisher (group commit)
 * can replace the per-request one without touching verification, deduplication or the routes.
 */
public interface EventPublisher {

    /**
     * Sends the event as a persistent message and returns only once the broker has confirmed it.
     *
     * @param event the normalised event
     * @throws Exception when the broker did not confirm the send; the event must then not be reported accepted
     */
    void publish(CloudEvent event) throws Exception;
}

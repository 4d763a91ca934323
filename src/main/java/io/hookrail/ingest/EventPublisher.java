package io.hookrail.ingest;

import java.util.List;

/**
 * Puts accepted events on the broker durably. The one seam of the ingest send path: {@link EventAdmission} calls it
 * with each batch of its group commit, between writing the batch's receipts and committing them.
 */
public interface EventPublisher {

    /**
     * Sends the events as persistent messages in one broker transaction and returns only once the broker has
     * committed them all.
     *
     * @param events the batch's new events, in the order they are to be delivered
     * @throws Exception when the broker did not commit them; none of them may then be reported accepted
     */
    void publish(List<OutgoingEvent> events) throws Exception;
}

package io.hookrail.flow;

/**
 * The delivered event's run failed before and its dead-lettering did not commit (the process died, or the message
 * was rolled back): the run goes straight back to dead-lettering, which first finishes any compensation left.
 */
public final class RunAlreadyFailedException extends RuntimeException {

    public RunAlreadyFailedException(String flow, String businessId, int attempt, String failure) {
        super("attempt " + attempt + " of " + flow + " " + businessId + " already failed"
                + (failure == null ? "" : ": " + failure));
    }
}

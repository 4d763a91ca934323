package io.hookrail.flow;

/**
 * Another live consumer is running the same business operation right now. The message is rolled back to the broker,
 * which delivers it again later: by then the other run has completed (a duplicate) or its owner's lease expired.
 */
public final class FlowKeyBusyException extends RuntimeException {

    public FlowKeyBusyException(String key) {
        super("Business operation " + key + " is being processed by another consumer");
    }
}

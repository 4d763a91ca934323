package io.hookrail.approval;

/**
 * An event put back on its flow's queue by a decision arrived before the decision's store transaction committed
 * (the decision commits only after the broker took the event). The message is rolled back to the broker, which
 * delivers it again later, when the decision is visible.
 */
public final class DecisionNotVisibleException extends RuntimeException {

    public DecisionNotVisibleException(String approvalId) {
        super("The decision on approval " + approvalId + " is not committed yet");
    }
}

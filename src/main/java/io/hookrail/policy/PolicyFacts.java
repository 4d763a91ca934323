package io.hookrail.policy;

/**
 * What Hookrail knows beyond the event itself, for the rules that compare with it: the amount and currency of the
 * order an event (a refund) refers to. Either may be null when unknown; a rule that needs an unknown fact does not
 * fire.
 */
public record PolicyFacts(Long orderAmountMinor, String orderCurrency) {

    private static final PolicyFacts NONE = new PolicyFacts(null, null);

    /** No facts: only the event's own data is judged. */
    public static PolicyFacts none() {
        return NONE;
    }
}

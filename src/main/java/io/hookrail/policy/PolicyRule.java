package io.hookrail.policy;

import java.util.Map;
import java.util.Optional;

/**
 * One rule of a policy file: when its condition holds for an event, the event is denied or held for approval.
 * Exactly one condition is set:
 * <ul>
 * <li>{@code amountAbove}: the event's amount is above the threshold of its currency (minor units). A currency
 * without a threshold fires the rule too: an amount nobody set a limit for is never waved through.</li>
 * <li>{@code amountAboveOrder}: the amount is above that of the order the event refers to (when Hookrail knows it).</li>
 * <li>{@code currencyDiffersFromOrder}: the currency is not that of the order the event refers to (when known).</li>
 * <li>{@code always}: every event of the type, whatever its data (a GDPR deletion that a person must approve).</li>
 * </ul>
 */
record PolicyRule(String id, PolicyDecision.Outcome outcome, String reason, Map<String, Long> amountAbove,
                  boolean amountAboveOrder, boolean currencyDiffersFromOrder, boolean always) {

    /** Why the rule fires for this amount, or empty when it does not. */
    Optional<String> fires(Long amountMinor, String currency, PolicyFacts facts) {
        if (always) {
            return Optional.of("every event of this type");
        }
        if (amountAbove != null) {
            Long threshold = currency == null ? null : amountAbove.get(currency);
            if (amountMinor == null || currency == null) {
                return Optional.of("the event names no amount and currency");
            }
            if (threshold == null) {
                return Optional.of("no threshold is set for " + currency);
            }
            return amountMinor > threshold
                    ? Optional.of(Money.format(amountMinor, currency) + " is above " + Money.format(threshold, currency))
                    : Optional.empty();
        }
        if (amountAboveOrder) {
            boolean known = amountMinor != null && facts.orderAmountMinor() != null && currency != null
                    && currency.equals(facts.orderCurrency());
            return known && amountMinor > facts.orderAmountMinor()
                    ? Optional.of(Money.format(amountMinor, currency) + " is above the order's "
                            + Money.format(facts.orderAmountMinor(), currency))
                    : Optional.empty();
        }
        if (currencyDiffersFromOrder) {
            return currency != null && facts.orderCurrency() != null && !currency.equals(facts.orderCurrency())
                    ? Optional.of(currency + " is not the order's currency " + facts.orderCurrency())
                    : Optional.empty();
        }
        return Optional.empty();
    }
}

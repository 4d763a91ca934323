package io.hookrail.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Judges an event by the rules of the policy file ({@link PolicyFile}): deny rules first, then approval rules, each
 * in file order; the first that fires decides, and an event no rule fires for is allowed. The event's amount is its
 * data's {@code amountMinor} in {@code currency}.
 */
public final class PolicyEngine {

    private final String file;
    private final int version;
    private final Map<String, List<PolicyRule>> rulesByType;

    PolicyEngine(String file, int version, Map<String, List<PolicyRule>> rulesByType) {
        this.file = file;
        this.version = version;
        this.rulesByType = Map.copyOf(rulesByType);
    }

    /** The policy file's own {@code version}, recorded with every decision. */
    public int version() {
        return version;
    }

    /** Where the policy was read from. */
    public String file() {
        return file;
    }

    public PolicyDecision evaluate(String eventType, JsonNode data, PolicyFacts facts) {
        // a whole number only: asLong() would cut 100000.9 down to 100000, under a threshold of 100000
        JsonNode amountNode = data == null ? null : data.get("amountMinor");
        Long amount = amountNode != null && amountNode.isNumber() && amountNode.canConvertToExactIntegral()
                && amountNode.canConvertToLong() ? amountNode.asLong() : null;
        String currency = data != null && data.path("currency").isTextual() ? data.get("currency").asText() : null;
        PolicyFacts known = facts == null ? PolicyFacts.none() : facts;
        List<PolicyRule> rules = rulesByType.getOrDefault(eventType, List.of());
        for (PolicyDecision.Outcome outcome : List.of(PolicyDecision.Outcome.DENY, PolicyDecision.Outcome.REQUIRE_APPROVAL)) {
            for (PolicyRule rule : rules) {
                if (rule.outcome() != outcome) {
                    continue;
                }
                Optional<String> why = rule.fires(amount, currency, known);
                if (why.isPresent()) {
                    String reason = rule.reason() + ": " + why.get();
                    return outcome == PolicyDecision.Outcome.DENY ? PolicyDecision.deny(rule.id(), reason)
                            : PolicyDecision.requireApproval(rule.id(), reason);
                }
            }
        }
        return PolicyDecision.allow();
    }
}

package io.hookrail.policy;

import java.util.Objects;

/**
 * What the policy says about one event: allow it, park it for a human approver, or refuse it. A decision other than
 * ALLOW names the rule that made it ({@code ruleId}, stable, shown to approvers and written to the audit trail) and
 * why ({@code reason}, the rule's words plus the amounts compared); an ALLOW has neither.
 */
public record PolicyDecision(Outcome outcome, String ruleId, String reason) {

    /** The three outcomes, from harmless to final. */
    public enum Outcome { ALLOW, REQUIRE_APPROVAL, DENY }

    private static final PolicyDecision ALLOW = new PolicyDecision(Outcome.ALLOW, null, null);

    public PolicyDecision {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome != Outcome.ALLOW && (ruleId == null || ruleId.isBlank() || reason == null || reason.isBlank())) {
            // an approver or an audit reader facing "denied" without a rule and a reason cannot act on it
            throw new IllegalArgumentException(outcome + " needs a rule id and a reason");
        }
    }

    public static PolicyDecision allow() {
        return ALLOW;
    }

    public static PolicyDecision requireApproval(String ruleId, String reason) {
        return new PolicyDecision(Outcome.REQUIRE_APPROVAL, ruleId, reason);
    }

    public static PolicyDecision deny(String ruleId, String reason) {
        return new PolicyDecision(Outcome.DENY, ruleId, reason);
    }

    public boolean isAllowed() {
        return outcome == Outcome.ALLOW;
    }

    public boolean needsApproval() {
        return outcome == Outcome.REQUIRE_APPROVAL;
    }

    public boolean isDenied() {
        return outcome == Outcome.DENY;
    }
}

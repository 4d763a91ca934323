package io.hookrail.policy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookrail.policy.PolicyDecision.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A bad policy file stops with the file, the line and column, and the problem; a good one becomes an engine. */
class PolicyFileTest {

    private static final String FILE = "policies/bad.yaml";

    /**
     * A policy of one approval rule for order.placed, {@code big-order}, whose lines after {@code rule:} are given:
     * the first given line is line 6 of the file, each indented by 8 spaces (column 9).
     */
    private static String oneRule(String... lines) {
        StringBuilder yaml = new StringBuilder("""
                version: 1
                eventTypes:
                  order.placed:
                    requireApproval:
                      - rule: big-order
                """);
        for (String line : lines) {
            yaml.append("        ").append(line).append('\n');
        }
        return yaml.toString();
    }

    private static PolicyFileException problemsOf(String yaml) {
        return assertThrows(PolicyFileException.class, () -> PolicyFile.parse(FILE, yaml));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                arguments("a tab for indentation is not YAML",
                        "version: 1\neventTypes:\n\torder.placed: {}\n", 3, 1, "not valid YAML"),
                arguments("an unclosed bracket is not YAML",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 100000"), 8, 1, "not valid YAML"),
                arguments("an empty file is not a policy",
                        "", 1, 1, "a policy file is a mapping with 'version' and 'eventTypes'"),
                arguments("a list at the top is not a policy",
                        "- version: 1\n", 1, 1, "a policy file is a mapping with 'version' and 'eventTypes'"),
                arguments("a file without version names the missing key",
                        "# no version\neventTypes:\n  invoice.paid: {}\n", 2, 1, "'version' is missing"),
                arguments("a file without eventTypes names the missing key",
                        "version: 1\n", 1, 1, "'eventTypes' is missing"),
                arguments("version 0 is not a version",
                        "version: 0\neventTypes: {}\n", 1, 10, "version must be a positive integer, not '0'"),
                arguments("a negative version is not a version",
                        "version: -3\neventTypes: {}\n", 1, 10, "version must be a positive integer, not '-3'"),
                arguments("version in words is not a version",
                        "version: one\neventTypes: {}\n", 1, 10, "version must be a positive integer, not 'one'"),
                arguments("a decimal version is not a version",
                        "version: 1.5\neventTypes: {}\n", 1, 10, "version must be a positive integer, not '1.5'"),
                arguments("an unknown top-level key is cited at the key",
                        "version: 1\nowner: finance\neventTypes: {}\n", 2, 1, "unknown key 'owner'; expected one of dataQuality, eventTypes, version"),
                arguments("an unknown key of a rule is cited at the key",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 100000 }", "owner: finance"), 8, 9,
                        "unknown key 'owner'; expected one of always, amountAbove, amountAboveOrder, currencyDiffersFromOrder, reason, rule"),
                arguments("a misspelt outcome of an event type is cited at the key",
                        "version: 1\neventTypes:\n  order.placed:\n    requireApprovals: []\n", 4, 5,
                        "unknown key 'requireApprovals'; expected one of deny, requireApproval"),
                arguments("a key given twice is cited at the second",
                        "version: 1\nversion: 2\neventTypes: {}\n", 2, 1, "'version' appears twice"),
                arguments("a rule without condition is cited at the rule",
                        oneRule("reason: Big orders need a look"), 5, 9,
                        "a rule needs exactly one condition of always, amountAbove, amountAboveOrder, currencyDiffersFromOrder"),
                arguments("a rule with two conditions names both",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 100000 }", "amountAboveOrder: true"), 5, 9,
                        "; it has amountAbove, amountAboveOrder"),
                arguments("a rule without reason names the missing key",
                        oneRule("amountAbove: { EUR: 100000 }"), 5, 9, "'reason' is missing"),
                arguments("a blank reason is no reason",
                        oneRule("reason: '  '", "amountAbove: { EUR: 100000 }"), 6, 17, "reason must say why"),
                arguments("a rule id in capitals is cited at the id",
                        "version: 1\neventTypes:\n  order.placed:\n    deny:\n      - rule: Big_Order\n"
                                + "        reason: No\n        amountAboveOrder: true\n", 5, 15,
                        "rule id 'Big_Order' must be lower-case letters, digits, '.' and '-'"),
                arguments("a rule id used twice is cited at its second use",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 100000 }")
                                + "      - rule: big-order\n        reason: Again\n        amountAbove: { EUR: 5 }\n",
                        8, 15, "rule id 'big-order' is used twice"),
                arguments("a currency of four letters is cited at the currency",
                        oneRule("reason: Big orders need a look", "amountAbove: { EURO: 100000 }"), 7, 24,
                        "'EURO' is not an ISO 4217 currency code (three capital letters)"),
                arguments("a currency in lower case is cited at the currency",
                        oneRule("reason: Big orders need a look", "amountAbove: { eur: 100000 }"), 7, 24,
                        "'eur' is not an ISO 4217 currency code (three capital letters)"),
                arguments("a currency given twice is cited at the second",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 100000, EUR: 5 }"), 7, 37,
                        "currency EUR appears twice"),
                arguments("a negative threshold is cited at the threshold",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: -5 }"), 7, 29,
                        "the threshold of EUR must be a whole number of minor units (0 or more), not '-5'"),
                arguments("a decimal threshold is cited at the threshold",
                        oneRule("reason: Big orders need a look", "amountAbove: { EUR: 1000.50 }"), 7, 29,
                        "the threshold of EUR must be a whole number of minor units (0 or more), not '1000.50'"),
                arguments("an empty amountAbove sets no threshold",
                        oneRule("reason: Big orders need a look", "amountAbove: {}"), 7, 22,
                        "amountAbove maps ISO 4217 currencies to thresholds in minor units"),
                arguments("amountAboveOrder: false is not a way to switch a rule off",
                        oneRule("reason: Big orders need a look", "amountAboveOrder: false"), 7, 27,
                        "the condition must be 'true' (remove it to switch it off)"),
                arguments("currencyDiffersFromOrder: yes is not true",
                        oneRule("reason: Big orders need a look", "currencyDiffersFromOrder: yes"), 7, 35,
                        "the condition must be 'true' (remove it to switch it off)"),
                arguments("always: false is not a way to switch a rule off",
                        oneRule("reason: Every order", "always: false"), 7, 17,
                        "the condition must be 'true' (remove it to switch it off)"),
                arguments("always beside another condition is two conditions",
                        oneRule("reason: Every order", "always: true", "amountAboveOrder: true"), 5, 9,
                        "a rule needs exactly one condition of always, amountAbove, amountAboveOrder,"
                                + " currencyDiffersFromOrder; it has always, amountAboveOrder"),
                arguments("a list of event types where a mapping is expected",
                        "version: 1\neventTypes: [order.placed]\n", 2, 13, "eventTypes must map event types to their rules"),
                arguments("a list of thresholds where a mapping is expected",
                        oneRule("reason: Big orders need a look", "amountAbove: [EUR, 100000]"), 7, 22,
                        "amountAbove maps ISO 4217 currencies to thresholds in minor units"),
                arguments("a list of rules where an event type's mapping is expected",
                        "version: 1\neventTypes:\n  order.placed:\n    - rule: x\n", 4, 5,
                        "an event type maps 'deny' and/or 'requireApproval' to lists of rules"),
                arguments("a single rule where a list of rules is expected",
                        "version: 1\neventTypes:\n  order.placed:\n    deny:\n      rule: x\n", 5, 7,
                        "deny must be a list of rules"),
                arguments("a name where a rule is expected",
                        "version: 1\neventTypes:\n  order.placed:\n    deny:\n      - refund-exceeds-order\n", 5, 9,
                        "a rule is a mapping with 'rule', 'reason' and one condition"),
                arguments("a mapping where the version is expected",
                        "version: { major: 1 }\neventTypes: {}\n", 1, 10, "version must be a plain value"),
                arguments("an event type that is not one is cited at its name",
                        "version: 1\neventTypes:\n  OrderPlaced: {}\n", 3, 3, "'OrderPlaced' is not an event type (like order.placed)"),
                arguments("an event type given twice is cited at the second",
                        "version: 1\neventTypes:\n  order.placed: {}\n  order.placed: {}\n", 4, 3,
                        "event type 'order.placed' appears twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void aBadFileStopsWithTheFileTheLineAndTheProblem(String what, String yaml, int line, int column, String problem) {
        PolicyFileException e = problemsOf(yaml);
        assertEquals(FILE, e.file(), what);
        assertEquals(line, e.line(), what + ": " + e.getMessage());
        assertEquals(column, e.column(), what + ": " + e.getMessage());
        String first = e.problems().get(0);
        assertTrue(first.startsWith(FILE + ":" + line + ":" + column + ": "), what + ": " + first);
        assertTrue(first.contains(problem), what + ": " + first);
        assertTrue(e.getMessage().startsWith(FILE + ":" + line + ":" + column + ": "), what + ": " + e.getMessage());
    }

    @Test
    void everyProblemOfTheFileIsListedInTheOrderOfTheFile() {
        String yaml = """
                version: 0
                eventTypes:
                  order.placed:
                    requireApproval:
                      - rule: big-order
                        amountAbove: { EURO: 100000, USD: -1 }
                        owner: finance
                  refund.requested:
                    deny:
                      - rule: big-order
                        reason: A refund may not be larger than the order it refunds
                        amountAboveOrder: false
                """;
        PolicyFileException e = problemsOf(yaml);
        assertEquals(List.of(
                FILE + ":1:10: version must be a positive integer, not '0'",
                FILE + ":5:9: 'reason' is missing",
                FILE + ":6:24: 'EURO' is not an ISO 4217 currency code (three capital letters)",
                FILE + ":6:43: the threshold of USD must be a whole number of minor units (0 or more), not '-1'",
                FILE + ":7:9: unknown key 'owner'; expected one of always, amountAbove, amountAboveOrder, "
                        + "currencyDiffersFromOrder, reason, rule",
                FILE + ":10:15: rule id 'big-order' is used twice",
                FILE + ":12:27: the condition must be 'true' (remove it to switch it off)"), e.problems());
        assertEquals(String.join("\n", e.problems()), e.getMessage(), "one line per problem");
        assertEquals(1, e.line());
        assertEquals(10, e.column());
    }

    @Test
    void notYamlKeepsTheParserErrorAsCause() {
        PolicyFileException e = problemsOf("version: 1\neventTypes: [\n");
        assertTrue(e.getCause() != null, "the YAML parser's own error is kept");
        assertEquals(1, e.problems().size());
    }

    @Test
    void aSmallCustomPolicyWorks() {
        PolicyEngine engine = PolicyFile.parse("policies/custom.yaml", """
                # invoices above 10,000.00 EUR are refused; there is no limit in USD... except that none is set
                version: 7
                eventTypes:
                  invoice.paid:
                    deny:
                      - rule: invoice-too-large
                        reason: Invoices above 10,000.00 are refused
                        amountAbove: { EUR: 1000000, JPY: 1000000 }
                """);
        assertEquals(7, engine.version());
        assertEquals("policies/custom.yaml", engine.file());

        PolicyDecision above = engine.evaluate("invoice.paid", amount(1000001, "EUR"), PolicyFacts.none());
        assertEquals(Outcome.DENY, above.outcome());
        assertEquals("invoice-too-large", above.ruleId());
        assertEquals("Invoices above 10,000.00 are refused: 10,000.01 EUR is above 10,000.00 EUR", above.reason());

        assertEquals(Outcome.ALLOW, engine.evaluate("invoice.paid", amount(1000000, "EUR"), PolicyFacts.none()).outcome());
        assertEquals("Invoices above 10,000.00 are refused: 1,000,001 JPY is above 1,000,000 JPY",
                engine.evaluate("invoice.paid", amount(1000001, "JPY"), PolicyFacts.none()).reason());
        assertEquals(Outcome.DENY, engine.evaluate("invoice.paid", amount(1, "USD"), PolicyFacts.none()).outcome(),
                "a currency without threshold fires the rule");
        assertEquals(Outcome.ALLOW, engine.evaluate("order.placed", amount(99999999, "EUR"), PolicyFacts.none()).outcome(),
                "the default policy's rules are not in a custom file");
    }

    @Test
    void aPolicyWithoutRulesAllowsEverything() {
        PolicyEngine engine = PolicyFile.parse("empty.yaml", "version: 2\neventTypes: {}\n");
        assertEquals(2, engine.version());
        assertEquals(Outcome.ALLOW, engine.evaluate("order.placed", amount(99999999, "EUR"), PolicyFacts.none()).outcome());
    }

    @Test
    void aThresholdOfZeroHoldsEveryPositiveAmount() {
        PolicyEngine engine = PolicyFile.parse("zero.yaml", oneRule("reason: Every order", "amountAbove: { EUR: 0 }"));
        assertEquals(Outcome.ALLOW, engine.evaluate("order.placed", amount(0, "EUR"), PolicyFacts.none()).outcome());
        assertEquals(Outcome.REQUIRE_APPROVAL, engine.evaluate("order.placed", amount(1, "EUR"), PolicyFacts.none()).outcome());
    }

    @Test
    void alwaysHoldsEveryEventOfItsTypeWhateverItsData() {
        PolicyEngine engine = PolicyFile.parse("gdpr.yaml", """
                version: 1
                eventTypes:
                  customer.deleted:
                    requireApproval:
                      - rule: customer-deletion-approval
                        reason: Every GDPR deletion needs a person's approval
                        always: true
                """);
        PolicyDecision noAmount = engine.evaluate("customer.deleted",
                new ObjectMapper().createObjectNode().put("customerId", "CUS-1"), PolicyFacts.none());
        assertEquals(Outcome.REQUIRE_APPROVAL, noAmount.outcome());
        assertEquals("customer-deletion-approval", noAmount.ruleId());
        assertEquals("Every GDPR deletion needs a person's approval: every event of this type", noAmount.reason());
        assertEquals(Outcome.REQUIRE_APPROVAL, engine.evaluate("customer.deleted", null, PolicyFacts.none()).outcome());
        assertEquals(Outcome.ALLOW, engine.evaluate("order.placed", amount(1, "EUR"), PolicyFacts.none()).outcome(),
                "only its own type");
    }

    private static ObjectNode amount(long amountMinor, String currency) {
        return new ObjectMapper().createObjectNode().put("amountMinor", amountMinor).put("currency", currency);
    }
}

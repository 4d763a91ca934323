package io.hookrail.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hookrail.policy.PolicyDecision.Outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The default policy file, src/main/resources/policies.yaml, rule by rule, currency by currency, at its boundaries. */
class PolicyEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PolicyEngine DEFAULT = PolicyFile.parse("policies.yaml", defaultPolicy());

    private static String defaultPolicy() {
        try (InputStream in = PolicyEngineTest.class.getClassLoader().getResourceAsStream("policies.yaml")) {
            if (in == null) {
                throw new IllegalStateException("policies.yaml is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode data(Long amountMinor, String currency) {
        ObjectNode data = JSON.createObjectNode();
        if (amountMinor != null) {
            data.put("amountMinor", amountMinor);
        }
        if (currency != null) {
            data.put("currency", currency);
        }
        return data;
    }

    private static PolicyDecision evaluate(String eventType, Long amountMinor, String currency, Long orderAmountMinor,
                                           String orderCurrency) {
        return DEFAULT.evaluate(eventType, data(amountMinor, currency), new PolicyFacts(orderAmountMinor, orderCurrency));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # what happens                                                           | event type       | amount   | cur | order amount | order cur | outcome          | rule
            an order of exactly 1,000.00 EUR is allowed                              | order.placed     | 100000   | EUR |              |           | ALLOW            |
            an order of 1,000.01 EUR is held                                         | order.placed     | 100001   | EUR |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of 49.99 EUR is allowed                                         | order.placed     | 4999     | EUR |              |           | ALLOW            |
            an order of exactly 1,000.00 USD is allowed                              | order.placed     | 100000   | USD |              |           | ALLOW            |
            an order of 1,000.01 USD is held                                         | order.placed     | 100001   | USD |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of 0.01 USD is allowed                                          | order.placed     | 1        | USD |              |           | ALLOW            |
            an order of exactly 1,000.00 GBP is allowed                              | order.placed     | 100000   | GBP |              |           | ALLOW            |
            an order of 1,000.01 GBP is held                                         | order.placed     | 100001   | GBP |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of 250.00 GBP is allowed                                        | order.placed     | 25000    | GBP |              |           | ALLOW            |
            an order of exactly 1,000.00 KES is allowed                              | order.placed     | 100000   | KES |              |           | ALLOW            |
            an order of 1,000.01 KES is held                                         | order.placed     | 100001   | KES |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of 10.00 KES is allowed                                         | order.placed     | 1000     | KES |              |           | ALLOW            |
            an order of exactly 1,000.00 CHF is allowed                              | order.placed     | 100000   | CHF |              |           | ALLOW            |
            an order of 1,000.01 CHF is held                                         | order.placed     | 100001   | CHF |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of 999.99 CHF is allowed                                        | order.placed     | 99999    | CHF |              |           | ALLOW            |
            an order of 50,000.00 EUR is held                                        | order.placed     | 5000000  | EUR |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order of just 1 JPY is held: the file sets no JPY threshold           | order.placed     | 1        | JPY |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order in lower-case eur is held: eur is not EUR                       | order.placed     | 100      | eur |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order without an amount is held                                       | order.placed     |          | EUR |              |           | REQUIRE_APPROVAL | order-above-threshold
            an order without a currency is held                                      | order.placed     | 100      |     |              |           | REQUIRE_APPROVAL | order-above-threshold
            a refund of exactly 500.00 EUR of a 1,000.00 EUR order is allowed        | refund.requested | 50000    | EUR | 100000       | EUR       | ALLOW            |
            a refund of 500.01 EUR of a 1,000.00 EUR order is held                   | refund.requested | 50001    | EUR | 100000       | EUR       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of 20.00 EUR of a 1,000.00 EUR order is allowed                 | refund.requested | 2000     | EUR | 100000       | EUR       | ALLOW            |
            a refund of exactly 500.00 USD of a 1,000.00 USD order is allowed        | refund.requested | 50000    | USD | 100000       | USD       | ALLOW            |
            a refund of 500.01 USD of a 1,000.00 USD order is held                   | refund.requested | 50001    | USD | 100000       | USD       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of exactly 500.00 GBP of a 1,000.00 GBP order is allowed        | refund.requested | 50000    | GBP | 100000       | GBP       | ALLOW            |
            a refund of 500.01 GBP of a 1,000.00 GBP order is held                   | refund.requested | 50001    | GBP | 100000       | GBP       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of exactly 500.00 KES of a 1,000.00 KES order is allowed        | refund.requested | 50000    | KES | 100000       | KES       | ALLOW            |
            a refund of 500.01 KES of a 1,000.00 KES order is held                   | refund.requested | 50001    | KES | 100000       | KES       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of exactly 500.00 CHF of a 1,000.00 CHF order is allowed        | refund.requested | 50000    | CHF | 100000       | CHF       | ALLOW            |
            a refund of 500.01 CHF of a 1,000.00 CHF order is held                   | refund.requested | 50001    | CHF | 100000       | CHF       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of 1 JPY of a 100 JPY order is held: the file sets no JPY threshold | refund.requested | 1    | JPY | 100          | JPY       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of 300.00 EUR of a 200.00 EUR order is denied                   | refund.requested | 30000    | EUR | 20000        | EUR       | DENY             | refund-exceeds-order
            a refund of 200.01 EUR of a 200.00 EUR order is denied                   | refund.requested | 20001    | EUR | 20000        | EUR       | DENY             | refund-exceeds-order
            a refund of all of a 200.00 EUR order is allowed                         | refund.requested | 20000    | EUR | 20000        | EUR       | ALLOW            |
            a refund of all of a 600.00 EUR order is held, not denied                | refund.requested | 60000    | EUR | 60000        | EUR       | REQUIRE_APPROVAL | refund-above-threshold
            a refund of 700.00 EUR of a 600.00 EUR order is denied, not held         | refund.requested | 70000    | EUR | 60000        | EUR       | DENY             | refund-exceeds-order
            a refund in USD of an order in EUR is denied                             | refund.requested | 1000     | USD | 100000       | EUR       | DENY             | refund-currency-differs
            a refund of 900.00 USD of a 1,000.00 EUR order is denied, not held       | refund.requested | 90000    | USD | 100000       | EUR       | DENY             | refund-currency-differs
            a refund of 300.00 EUR of an order never seen is allowed                 | refund.requested | 30000    | EUR |              |           | ALLOW            |
            a refund of 600.00 EUR of an order never seen is held, not denied        | refund.requested | 60000    | EUR |              |           | REQUIRE_APPROVAL | refund-above-threshold
            a refund of 300.00 EUR of a 200.00 order of unknown currency is allowed  | refund.requested | 30000    | EUR | 20000        |           | ALLOW            |
            a refund in USD of an order of unknown amount in EUR is denied           | refund.requested | 1000     | USD |              | EUR       | DENY             | refund-currency-differs
            an invoice of 1,000,000.00 EUR is paid without a rule                    | invoice.paid     | 100000000| EUR |              |           | ALLOW            |
            an invoice of 1 JPY is paid without a rule                               | invoice.paid     | 1        | JPY |              |           | ALLOW            |
            a lead is qualified without a rule                                       | lead.qualified   |          |     |              |           | ALLOW            |
            an event type the file never names is allowed                            | customer.created | 99999999 | XXX |              |           | ALLOW            |
            """)
    void theDefaultPolicyDecides(String what, String eventType, Long amountMinor, String currency,
                                 Long orderAmountMinor, String orderCurrency, Outcome outcome, String rule) {
        PolicyDecision decision = evaluate(eventType, amountMinor, currency, orderAmountMinor, orderCurrency);
        assertEquals(outcome, decision.outcome(), what + ": " + decision.reason());
        assertEquals(rule, decision.ruleId(), what);
        if (outcome == Outcome.ALLOW) {
            assertNull(decision.reason(), "an allowed event has no reason");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # what happens                                | event type       | amount | cur | order amount | order cur | reason
            an order of 1,000.01 EUR names both amounts  | order.placed     | 100001 | EUR |              |           | Orders above 1,000.00 need a finance approval: 1,000.01 EUR is above 1,000.00 EUR
            an order of 1,250.50 KES names both amounts  | order.placed     | 125050 | KES |              |           | Orders above 1,000.00 need a finance approval: 1,250.50 KES is above 1,000.00 KES
            an order in JPY names the missing threshold  | order.placed     | 5000   | JPY |              |           | Orders above 1,000.00 need a finance approval: no threshold is set for JPY
            an order without amount says so              | order.placed     |        | EUR |              |           | Orders above 1,000.00 need a finance approval: the event names no amount and currency
            a refund of 500.01 GBP names both amounts    | refund.requested | 50001  | GBP | 90000        | GBP       | Refunds above 500.00 need a finance approval: 500.01 GBP is above 500.00 GBP
            a refund above its order names both amounts  | refund.requested | 30000  | EUR | 20000        | EUR       | A refund may not be larger than the order it refunds: 300.00 EUR is above the order's 200.00 EUR
            a refund in USD of an EUR order names both   | refund.requested | 1000   | USD | 100000       | EUR       | A refund must be paid in the currency of its order: USD is not the order's currency EUR
            """)
    void theReasonIsTheRuleAndTheAmountsCompared(String what, String eventType, Long amountMinor, String currency,
                                                 Long orderAmountMinor, String orderCurrency, String reason) {
        assertEquals(reason, evaluate(eventType, amountMinor, currency, orderAmountMinor, orderCurrency).reason(), what);
    }

    @Test
    void theVersionAndFileOfThePolicyAreRead() {
        assertEquals(1, DEFAULT.version());
        assertEquals("policies.yaml", DEFAULT.file());
    }

    @Test
    void aFractionalAmountIsNotCutDownUnderTheThreshold() {
        ObjectNode data = JSON.createObjectNode().put("amountMinor", 100000.9).put("currency", "EUR");
        PolicyDecision decision = DEFAULT.evaluate("order.placed", data, PolicyFacts.none());
        assertEquals(Outcome.REQUIRE_APPROVAL, decision.outcome(), "100000.9 minor units is not 100000: " + decision.reason());
        assertEquals("order-above-threshold", decision.ruleId());
    }

    @Test
    void aWholeAmountWrittenWithADecimalPointIsStillJudgedByItsValue() {
        ObjectNode atThreshold = JSON.createObjectNode().put("amountMinor", 100000.0).put("currency", "EUR");
        ObjectNode above = JSON.createObjectNode().put("amountMinor", 100001.0).put("currency", "EUR");
        assertEquals(Outcome.ALLOW, DEFAULT.evaluate("order.placed", atThreshold, PolicyFacts.none()).outcome());
        assertEquals(Outcome.REQUIRE_APPROVAL, DEFAULT.evaluate("order.placed", above, PolicyFacts.none()).outcome());
    }

    @Test
    void anAmountSentAsTextIsHeldNotParsed() {
        ObjectNode data = JSON.createObjectNode().put("amountMinor", "100").put("currency", "EUR");
        assertEquals(Outcome.REQUIRE_APPROVAL, DEFAULT.evaluate("order.placed", data, PolicyFacts.none()).outcome());
    }

    @Test
    void anEventWithoutDataOrFactsIsJudgedAsOneThatNamesNothing() {
        assertEquals(Outcome.REQUIRE_APPROVAL, DEFAULT.evaluate("order.placed", null, null).outcome());
        assertEquals(Outcome.ALLOW, DEFAULT.evaluate("refund.requested", data(100L, "EUR"), null).outcome());
        assertEquals(Outcome.ALLOW, DEFAULT.evaluate("lead.qualified", null, PolicyFacts.none()).outcome());
    }
}

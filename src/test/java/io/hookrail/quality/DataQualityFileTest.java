package io.hookrail.quality;

import java.util.List;
import java.util.Set;

import io.hookrail.policy.PolicyFileException;
import io.hookrail.validate.Problem;
import io.hookrail.validate.Validate;
import io.hookrail.validate.ValidatedFile;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dataQuality section of the policy file: good rules are read in order; each bad one is named at its place. */
class DataQualityFileTest {

    private static final String FILE = "policies/policies.yaml";
    private static final Set<String> CONTRACTS = Set.of("refund.requested", "order.placed");

    private static String policy(String dataQuality) {
        return "version: 1\neventTypes: {}\ndataQuality:\n" + dataQuality;
    }

    private static PolicyFileException problemsOf(String dataQuality) {
        return assertThrows(PolicyFileException.class,
                () -> DataQualityFile.parse(FILE, policy(dataQuality), CONTRACTS::contains));
    }

    @Test
    void theRulesOfAnEventTypeAreReadInTheOrderOfTheFile() {
        DataQualityRules rules = DataQualityFile.parse(FILE, policy("""
                  refund.requested:
                    required: [data.orderId, data.reason]
                    known: { data.orderId: order }
                """), CONTRACTS::contains);
        assertEquals(List.of("required:data.orderId", "required:data.reason", "known:data.orderId"),
                rules.of("refund.requested").stream().map(DataQualityRule::id).toList());
        assertEquals("order", rules.of("refund.requested").get(2).entity());
        assertEquals(List.of(), rules.of("order.placed"));
    }

    @Test
    void aFileWithoutTheSectionOrWithAnEmptyOneHasNoRules() {
        assertEquals(Set.of(), DataQualityFile.parse(FILE, "version: 1\neventTypes: {}\n", CONTRACTS::contains)
                .eventTypes());
        assertEquals(Set.of(), DataQualityFile.parse(FILE, policy("  {}\n"), CONTRACTS::contains).eventTypes());
    }

    @Test
    void anUnknownRuleKindIsNamedAtItsLineAndColumn() {
        PolicyFileException e = problemsOf("""
                  refund.requested:
                    mandatory: [data.orderId]
                """);
        assertEquals(List.of(FILE + ":5:5: unknown rule kind 'mandatory'; expected one of required, known"),
                e.problems());
    }

    @Test
    void anEventTypeWithoutADataContractIsAProblem() {
        PolicyFileException e = problemsOf("""
                  refund.requsted:
                    required: [data.orderId]
                """);
        assertEquals(List.of(FILE + ":4:3: event type 'refund.requsted' has no data contract"
                + " (schemas/refund.requsted/v1.json): its rules would never apply"), e.problems());
    }

    @Test
    void aKnownRuleNamesSomethingHookrailKnowsIdsOfAndAFieldPath() {
        PolicyFileException e = problemsOf("""
                  refund.requested:
                    required: [data..orderId]
                    known: { data.customerId: customer }
                """);
        assertEquals(List.of(
                FILE + ":5:16: 'data..orderId' is not a field path of the CloudEvent, like data.orderId",
                FILE + ":6:31: 'customer' is nothing Hookrail knows ids of; expected one of order"), e.problems());
    }

    @Test
    void validatePrintsTheProblemsOfTheSectionAsFileLineColumn() {
        List<Problem> problems = Validate.problems(List.of(new ValidatedFile(FILE, policy("""
                  lead.qualifed:
                    required: [data.leadId]
                  refund.requested:
                    mandatory: [data.orderId]
                """))));
        assertEquals(List.of(
                FILE + ":4:3: event type 'lead.qualifed' has no data contract (schemas/lead.qualifed/v1.json):"
                        + " its rules would never apply",
                FILE + ":7:5: unknown rule kind 'mandatory'; expected one of required, known"),
                problems.stream().map(Problem::toString).toList());
    }

    @Test
    void theTestPolicyOfTheQuarantineIsValid() throws Exception {
        String yaml = new String(DataQualityFileTest.class.getResourceAsStream("/quality/policies-quality.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(Validate.problems(List.of(new ValidatedFile("quality/policies.yaml", yaml))).isEmpty());
    }
}

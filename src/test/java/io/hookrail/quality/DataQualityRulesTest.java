package io.hookrail.quality;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The verdict of the rules on one event: every rule it fails, with why; ids are looked up only when present. */
class DataQualityRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DataQualityRules RULES = new DataQualityRules(Map.of("refund.requested", List.of(
            new DataQualityRule(DataQualityRule.Kind.REQUIRED, "data.requestedBy", null),
            new DataQualityRule(DataQualityRule.Kind.KNOWN, "data.orderId", "order"))));

    private final List<String> lookedUp = new ArrayList<>();
    private final KnownIds onlyOrd1 = (entity, id) -> {
        lookedUp.add(entity + ":" + id);
        return id.equals("ORD-1");
    };

    private static JsonNode refund(String data) throws Exception {
        return JSON.readTree("{\"type\": \"refund.requested\", \"data\": " + data + "}");
    }

    @Test
    void aRefundWithItsRequesterAndAKnownOrderPasses() throws Exception {
        assertEquals(List.of(), RULES.check(refund("{\"orderId\": \"ORD-1\", \"requestedBy\": \"agent\"}"), onlyOrd1));
        assertEquals(List.of("order:ORD-1"), lookedUp);
    }

    @Test
    void aMissingNullOrBlankRequiredFieldFailsItsRule() throws Exception {
        for (String requestedBy : List.of("", ", \"requestedBy\": null", ", \"requestedBy\": \"  \"")) {
            assertEquals(List.of(new DataQualityFailure("required:data.requestedBy", "data.requestedBy is missing or blank")),
                    RULES.check(refund("{\"orderId\": \"ORD-1\"" + requestedBy + "}"), onlyOrd1), requestedBy);
        }
    }

    @Test
    void anUnknownOrderFailsTheKnownRuleNamingTheId() throws Exception {
        assertEquals(List.of(new DataQualityFailure("known:data.orderId", "data.orderId 'ORD-9' is no order Hookrail has seen")),
                RULES.check(refund("{\"orderId\": \"ORD-9\", \"requestedBy\": \"agent\"}"), onlyOrd1));
    }

    @Test
    void everyFailedRuleIsReportedInTheOrderOfTheFile() throws Exception {
        assertEquals(List.of("required:data.requestedBy", "known:data.orderId"),
                RULES.check(refund("{\"orderId\": \"ORD-9\"}"), onlyOrd1).stream().map(DataQualityFailure::rule).toList());
    }

    @Test
    void aMissingIdIsNotLookedUpAndASyntheticOneCountsAsKnown() throws Exception {
        assertEquals(List.of(), RULES.check(refund("{\"requestedBy\": \"agent\"}"), onlyOrd1));
        assertEquals(List.of(), RULES.check(refund("{\"orderId\": \"SYNTHETIC-probe\", \"requestedBy\": \"probe\"}"),
                onlyOrd1));
        assertEquals(List.of(), lookedUp);
    }

    @Test
    void anEventTypeWithoutRulesPasses() throws Exception {
        assertEquals(List.of(), RULES.check(JSON.readTree("{\"type\": \"order.placed\", \"data\": {}}"), onlyOrd1));
    }

    @Test
    void aDottedPathReachesIntoNestedObjects() throws Exception {
        DataQualityRule customer = new DataQualityRule(DataQualityRule.Kind.REQUIRED, "data.customer.id", null);
        assertEquals("CUS-1", customer.valueIn(JSON.readTree("{\"data\": {\"customer\": {\"id\": \"CUS-1\"}}}")).asText());
        assertEquals(true, customer.valueIn(JSON.readTree("{\"data\": {}}")).isMissingNode());
    }
}

package io.hookrail.quality;

import java.sql.SQLException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookrail.flow.FlowContext;
import org.apache.camel.Exchange;

/**
 * The data-quality gate at every flow's entry (the {@code flow-entry} template, after the event is read and checked
 * against its contract, before the flow key is taken or any step runs; ADR 13): sets {@value #FAILURES} to the rules
 * the event fails, and the template then sends it to {@code direct:quarantine} instead of running the flow.
 */
public final class DataQuality {

    /** The registry name of the bean. */
    public static final String BEAN = "dataQuality";
    /** Exchange property: the {@link DataQualityFailure}s of the event; absent when it passes. */
    public static final String FAILURES = "dataQualityFailures";

    private final DataQualityRules rules;
    private final KnownIds known;

    public DataQuality(DataQualityRules rules, KnownIds known) {
        this.rules = rules;
        this.known = known;
    }

    /** The rules, for the catalogue and the tests. */
    public DataQualityRules rules() {
        return rules;
    }

    /** Checks the run's event ({@link FlowContext#EVENT_VARIABLE}); a store failure fails (and retries) the run. */
    public void check(Exchange exchange) throws SQLException {
        JsonNode event = exchange.getVariable(FlowContext.EVENT_VARIABLE, JsonNode.class);
        List<DataQualityFailure> failures = rules.check(event, known);
        if (failures.isEmpty()) {
            exchange.removeProperty(FAILURES);
        } else {
            exchange.setProperty(FAILURES, failures);
        }
    }
}

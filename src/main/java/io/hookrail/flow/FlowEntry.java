package io.hookrail.flow;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventSeal;
import io.hookrail.broker.EventTopics;
import io.hookrail.dlq.DeadLetters;
import io.hookrail.ingest.EventContracts;
import io.hookrail.ingest.WebhookRejection;
import io.hookrail.privacy.PersonalData;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * First step of every flow: checks the message carries the seal of Hookrail's gateway (a message can reach a queue
 * other ways than through it: one without is forged), which also vouches for its {@link EventRequester} (set as the
 * exchange property of that name), reads the CloudEvent, checks it against its data contract again (the version its {@code dataschema} names; after
 * decrypting its personal fields: flows and their downstream calls see plaintext, the broker holds ciphertext), and
 * sets the {@link FlowContext}. What can never succeed is a
 * {@link PoisonEventException}.
 * <p>
 * Expects exchange properties {@code flow} and {@code businessIdField} (set by the {@code flow-entry} template).
 */
public final class FlowEntry implements Processor {

    public static final String BUSINESS_ID_FIELD = "businessIdField";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final EventContracts contracts;
    private final EventSeal seal;
    private final PersonalData personalData;

    public FlowEntry(EventContracts contracts, EventSeal seal, PersonalData personalData) {
        this.contracts = contracts;
        this.seal = seal;
        this.personalData = personalData;
    }

    @Override
    public void process(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        String requester = exchange.getMessage().getHeader(EventRequester.PROPERTY, String.class);
        if (!seal.verify(exchange.getMessage().getHeader(EventTopics.EVENT_ID_HEADER, String.class), requester, text,
                exchange.getMessage().getHeader(EventSeal.PROPERTY, String.class))) {
            throw new PoisonEventException("forged: the message does not carry the seal of Hookrail's gateway");
        }
        // whom Hookrail authenticated as asking for this run; also what its dead letter, if any, is sealed for
        exchange.setProperty(EventRequester.PROPERTY, requester);
        JsonNode event;
        try {
            event = MAPPER.readTree(text);
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonEventException("message is not JSON", e);
        }
        if (event == null || !event.path("id").isTextual() || !event.path("type").isTextual() || !event.path("data").isObject()) {
            throw new PoisonEventException("message is not a CloudEvent with id, type and data");
        }
        try {
            personalData.decryptEvent(event);
        } catch (IllegalStateException undecryptable) {
            // altered ciphertext, or a key id no longer listed: it can never succeed as it is
            throw new PoisonEventException(undecryptable.getMessage(), undecryptable);
        }
        String type = event.get("type").asText();
        // the contract the gateway validated it against; a message published before versions is a v1 event
        String dataschema = event.path("dataschema").isTextual() ? event.get("dataschema").asText()
                : EventContracts.schemaUri(type, EventContracts.DEFAULT_MAJOR);
        List<WebhookRejection.Violation> violations;
        try {
            violations = contracts.violations(type, EventContracts.major(type, dataschema), event.get("data"));
        } catch (IllegalArgumentException unknownType) {
            throw new PoisonEventException(unknownType.getMessage(), unknownType);
        }
        if (!violations.isEmpty()) {
            throw new PoisonEventException("data violates its contract: " + violations);
        }
        String field = exchange.getProperty(BUSINESS_ID_FIELD, String.class);
        JsonNode businessId = event.get("data").get(field);
        if (businessId == null || !businessId.isTextual()) {
            throw new PoisonEventException("data has no business id '" + field + "'");
        }
        Integer run = exchange.getMessage().getHeader(DeadLetters.RUN, Integer.class);
        exchange.setVariable(FlowContext.EVENT_VARIABLE, event);
        exchange.setProperty(FlowContext.EVENT_ID, event.get("id").asText());
        exchange.setProperty(FlowContext.DATASCHEMA, dataschema);
        exchange.setProperty(FlowContext.BUSINESS_ID, businessId.asText());
        exchange.setProperty(FlowContext.RUN, run == null ? 1 : run);
        exchange.setProperty(FlowContext.CORRELATION_ID, event.path("correlationid").asText(
                exchange.getMessage().getHeader(EventTopics.CORRELATION_ID_HEADER, "", String.class)));
    }
}

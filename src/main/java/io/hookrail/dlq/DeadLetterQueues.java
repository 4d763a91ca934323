package io.hookrail.dlq;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.jms.JMSException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookrail.broker.EventRequester;
import io.hookrail.flow.FlowNames;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.CamelContext;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The flows' dead-letter queues over JMX (Hawtio, through Jolokia): how many dead letters each flow and each kind
 * has, the dead letters themselves (with kind and steps done), and a replay of a flow's dead letters that does what
 * {@code POST /api/dlq/replay} does, audited as actor {@value DeadLetterReplays#JMX_ACTOR}.
 * <p>
 * Depths are counted by browsing the {@code DLQ.*} queues, like {@code GET /api/dlq}, so they are the same numbers
 * with the embedded broker and with an external one, whose own MBeans live in another JVM.
 */
@ManagedResource(description = "Dead letters of the flows: depth per flow, and replay")
public final class DeadLetterQueues extends ServiceSupport implements StaticService {

    private final DeadLetterReplays replays;
    private final CamelContext context;

    public DeadLetterQueues(DeadLetterReplays replays, CamelContext context) {
        this.replays = replays;
        this.context = context;
    }

    @ManagedAttribute(description = "Dead letters per flow; every flow is listed, with 0 when its DLQ is empty")
    public Map<String, Integer> getDepthByFlow() throws JMSException {
        Map<String, Integer> depths = new TreeMap<>();
        FlowNames.of(context).forEach(flow -> depths.put(flow, 0));
        for (DeadLetter letter : replays.store().list(DeadLetterQuery.ALL)) {
            depths.merge(letter.flow() == null ? "(unknown)" : letter.flow(), 1, Integer::sum);
        }
        return depths;
    }

    @ManagedAttribute(description = "Dead letters per kind (failed-run, failed-compensation, poison); every kind is"
            + " listed, with 0 when there is none")
    public Map<String, Integer> getDepthByKind() throws JMSException {
        Map<String, Integer> depths = new LinkedHashMap<>();
        for (DeadLetterKind kind : EnumSet.copyOf(DeadLetterKind.OF_DEAD_LETTERS)) {
            depths.put(kind.value(), 0);
        }
        for (DeadLetter letter : replays.store().list(DeadLetterQuery.ALL)) {
            depths.merge(letter.kind().value(), 1, Integer::sum);
        }
        return depths;
    }

    @ManagedAttribute(description = "Dead letters of every flow")
    public int getTotalDepth() throws JMSException {
        return replays.store().list(DeadLetterQuery.ALL).size();
    }

    @ManagedOperation(description = "Dead letters of one flow (parameter: flow, e.g. order-fulfilment)")
    public int dlqDepth(String flow) throws JMSException {
        return replays.store().list(new DeadLetterQuery(requireFlow(flow), null, null)).size();
    }

    @ManagedOperation(description = "The dead letters, oldest failure first, as the items of GET /api/dlq (a JSON"
            + " array, with each one's kind and stepsDone); parameters: flow, empty for all; kind (failed-run,"
            + " failed-compensation, poison, several comma-separated), empty for all")
    public String listDeadLetters(String flow, String kind) throws JMSException {
        ArrayNode items = HttpAnswers.MAPPER.createArrayNode();
        replays.store().list(new DeadLetterQuery(blankToNull(flow), null, null, DeadLetterKind.parseList(kind)))
                .forEach(letter -> items.add(letter.toJson()));
        return items.toString();
    }

    @ManagedOperation(description = "Replays the failed runs and failed compensations of a flow whose failure mentions"
            + " the text, as POST /api/dlq/replay does without a kind: poison is not replayed (parameters: flow;"
            + " errorText, empty for all); audited as actor 'jmx'")
    public String replayFlow(String flow, String errorText) throws JMSException {
        return replayFlowOfKind(flow, errorText, null);
    }

    @ManagedOperation(description = "Replays the dead letters of a flow of the kind whose failure mentions the text, as"
            + " POST /api/dlq/replay does (parameters: flow; errorText, empty for all; kind: failed-run,"
            + " failed-compensation or poison, several comma-separated, empty for failed-run and failed-compensation);"
            + " audited as actor 'jmx'")
    public String replayFlowOfKind(String flow, String errorText, String kind) throws JMSException {
        DeadLetterQuery query = new DeadLetterQuery(requireFlow(flow), blankToNull(errorText), null,
                DeadLetterKind.parseList(kind));
        DeadLetterStore.BulkReplay bulk = replays.replayAll(query, DeadLetterReplays.JMX_ACTOR,
                EventRequester.JMX, UUID.randomUUID().toString());
        StringBuilder answer = new StringBuilder("Replayed ").append(bulk.replayed().size())
                .append(" dead letter(s) of flow ").append(flow);
        for (DeadLetterStore.Refusal refusal : bulk.refused()) {
            answer.append("; not replayed ").append(refusal.id()).append(": ").append(refusal.reason());
        }
        return answer.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String requireFlow(String flow) {
        if (flow == null || flow.isBlank()) {
            throw new IllegalArgumentException("flow is required, e.g. order-fulfilment");
        }
        return flow;
    }
}

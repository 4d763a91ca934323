package io.hookrail.reconcile;

import java.util.Map;
import java.util.TreeMap;

import io.hookrail.broker.EventTopics;
import io.hookrail.flow.FlowNames;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsEndpoint;

/**
 * Which flows consume which event type, read from the flows' queues ({@code Consumer.<flow>.VirtualTopic.<type>}):
 * an accepted event must reach an end in each of them; and who answers for each flow.
 */
final class FlowSubscriptions {

    private static final String TOPIC = ".VirtualTopic.";

    private FlowSubscriptions() {
    }

    /** The flow queues of the context, by event type: each type's {@code flow -> queue}. */
    static Map<String, Map<String, String>> byType(CamelContext context) {
        Map<String, Map<String, String>> byType = new TreeMap<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof JmsEndpoint jms && !jms.isPubSubDomain()) {
                String queue = jms.getDestinationName();
                String flow = EventTopics.flowOfQueue(queue);
                if (flow != null) {
                    String type = queue.substring(queue.indexOf(TOPIC) + TOPIC.length());
                    byType.computeIfAbsent(type, any -> new TreeMap<>()).put(flow, queue);
                }
            }
        }
        return byType;
    }

    /** Each flow's owner and risk tier, as its {@code flow-entry} declares them. */
    static Map<String, ReconciliationReport.Owner> owners(CamelContext context) {
        Map<String, ReconciliationReport.Owner> owners = new TreeMap<>();
        for (String flow : FlowNames.of(context)) {
            owners.put(flow, new ReconciliationReport.Owner(FlowNames.parameter(context, flow, "owner", "none"),
                    FlowNames.parameter(context, flow, "riskTier", "none")));
        }
        return owners;
    }
}

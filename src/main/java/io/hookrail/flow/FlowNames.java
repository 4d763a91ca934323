package io.hookrail.flow;

import java.util.List;
import java.util.Objects;

import io.hookrail.broker.EventTopics;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;

/** The flows of a Camel context: the routes that consume a flow queue, {@code Consumer.<flow>.VirtualTopic.*}. */
public final class FlowNames {

    private FlowNames() {
    }

    /** The flows' names, sorted; a flow's entry route has the flow's name. */
    public static List<String> of(CamelContext context) {
        return context.getRoutes().stream()
                .map(Route::getEndpoint)
                .filter(endpoint -> endpoint instanceof JmsEndpoint jms && !jms.isPubSubDomain())
                .map(endpoint -> EventTopics.flowOfQueue(((JmsEndpoint) endpoint).getDestinationName()))
                .filter(Objects::nonNull)
                .distinct()
                .sorted()
                .toList();
    }

    /** The flow's stable version: the {@code version} parameter of its {@code flow-entry} template (default 1). */
    public static String stableVersion(CamelContext context, String flow) {
        return parameter(context, flow, "version", "1");
    }

    /** A parameter of the flow's {@code flow-entry} template ({@code owner}, {@code riskTier}, {@code kpi}, ...). */
    public static String parameter(CamelContext context, String flow, String name, String fallback) {
        RouteDefinition route = context.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(flow);
        Object value = route == null ? null : route.getTemplateParameters().get(name);
        return value == null ? fallback : value.toString();
    }
}

package io.hookrail.flow;

import java.sql.SQLException;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.dlq.DeadLetterReplays;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.CamelContext;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The flows' rollouts over JMX (Hawtio, through Jolokia): each flow's versions and how many runs each finished, and
 * the operator's promotion and rollback, audited as actor {@value DeadLetterReplays#JMX_ACTOR} like
 * {@code POST /api/flows/{flow}/rollout/promote} and {@code /rollback}.
 */
@ManagedResource(description = "Flow versions: the rollout of each flow's candidate version, promote and rollback")
public final class ManagedFlowRollouts extends ServiceSupport implements StaticService {

    private final FlowRollouts rollouts;
    private final CamelContext context;

    public ManagedFlowRollouts(FlowRollouts rollouts, CamelContext context) {
        this.rollouts = rollouts;
        this.context = context;
    }

    @ManagedOperation(description = "The parity report of a flow's shadow version, as GET /api/flows/{flow}/shadow"
            + " answers it (parameter: flow)")
    public String parityReport(String flow) throws Exception {
        return context.getRegistry().lookupByNameAndType(FlowShadows.BEAN, FlowShadows.class).parity(known(flow))
                .toString();
    }

    @ManagedAttribute(description = "Every flow's rollout as JSON: stable and candidate version, share, state, reason,"
            + " and the runs each version finished (completed, compensated) since the rollout began")
    public String getRollouts() throws SQLException {
        ArrayNode items = HttpAnswers.MAPPER.createArrayNode();
        for (String flow : FlowNames.of(context)) {
            items.add(json(rollouts, flow));
        }
        return items.toString();
    }

    @ManagedOperation(description = "Promote a flow's candidate version: every new run starts on it (parameter: flow)")
    public String promote(String flow) throws SQLException {
        return rollouts.promote(known(flow), DeadLetterReplays.JMX_ACTOR, null, null).toJson().toString();
    }

    @ManagedOperation(description = "Roll a flow's candidate version back: no new run starts on it, runs under way"
            + " finish on it (parameters: flow, reason)")
    public String rollback(String flow, String reason) throws SQLException {
        return rollouts.rollback(known(flow), DeadLetterReplays.JMX_ACTOR,
                reason == null || reason.isBlank() ? null : reason, null).toJson().toString();
    }

    /** A rollout as the API and JMX show it: the rollout and each version's finished runs. */
    static ObjectNode json(FlowRollouts rollouts, String flow) throws SQLException {
        ObjectNode json = rollouts.of(flow).toJson();
        ObjectNode versions = json.putObject("finished");
        rollouts.finished(flow).forEach((version, finished) -> versions.putObject(version)
                .put("completed", finished.completed()).put("compensated", finished.compensated()));
        return json;
    }

    private String known(String flow) {
        if (!FlowNames.of(context).contains(flow)) {
            throw new IllegalArgumentException("no flow " + flow + "; flows: " + FlowNames.of(context));
        }
        return flow;
    }
}

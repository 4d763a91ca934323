package io.hookrail.flow;

import java.sql.SQLException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.hookrail.ops.AdminAccess;
import io.hookrail.ops.AdminRequests;
import io.hookrail.ops.AdminRole;
import io.hookrail.ops.ApiProblem;
import io.hookrail.ops.CorrelationIds;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The rollouts of flow versions (ADR 11): {@code GET /api/flows}, {@code GET /api/flows/{flow}/rollout} and the
 * shadow parity report {@code GET /api/flows/{flow}/shadow} (any role),
 * {@code POST /api/flows/{flow}/rollout/promote} and {@code /rollback} (operator, optional body
 * {@code {"reason": "..."}}); each instance reading the rollouts again every {@code hookrail.flow.rollout.checkMillis},
 * and the rollout monitor, a singleton job (ADR 9), rolling back a canary that fails more than its stable version.
 */
public class FlowRolloutRoutes extends RouteBuilder {

    private static final String PATH_PREFIX = "/api/flows/";

    @BeanInject
    private AdminAccess access;
    @BeanInject(FlowRollouts.BEAN)
    private FlowRollouts rollouts;
    @BeanInject(FlowShadows.BEAN)
    private FlowShadows shadows;

    @Override
    public void configure() {
        from("platform-http:/api/flows?httpMethodRestrict=GET")
                .routeId("flow-rollouts")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(this::list);

        from("platform-http:/api/flows/{flow}/rollout?httpMethodRestrict=GET")
                .routeId("flow-rollout")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(exchange -> answer(exchange, flow(exchange, "/rollout")));

        from("platform-http:/api/flows/{flow}/shadow?httpMethodRestrict=GET")
                .routeId("flow-shadow-parity")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.anyRole()))
                .process(exchange -> HttpAnswers.json(exchange, 200,
                        shadows.parity(flow(exchange, "/shadow")).toString()));

        from("platform-http:/api/flows/{flow}/rollout/promote?httpMethodRestrict=POST")
                .routeId("flow-rollout-promote")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(exchange -> {
                    String flow = flow(exchange, "/rollout/promote");
                    rollouts.promote(flow, user(exchange), reason(exchange), correlationId(exchange));
                    answer(exchange, flow);
                });

        from("platform-http:/api/flows/{flow}/rollout/rollback?httpMethodRestrict=POST")
                .routeId("flow-rollout-rollback")
                .onException(Exception.class).handled(true).process(this::fail).end()
                .process(CorrelationIds::assign)
                .process(access.allowing(AdminRole.OPERATOR))
                .process(exchange -> {
                    String flow = flow(exchange, "/rollout/rollback");
                    rollouts.rollback(flow, user(exchange), reason(exchange), correlationId(exchange));
                    answer(exchange, flow);
                });

        from("timer:flow-rollout-refresh?period={{hookrail.flow.rollout.checkMillis}}")
                .routeId("flow-rollout-refresh")
                .bean(FlowRollouts.BEAN, "refresh");

        from("master:flow-rollout-monitor:timer:flow-rollout-monitor?period={{hookrail.flow.rollout.checkMillis}}")
                .routeId("flow-rollout-monitor")
                .bean(FlowRollouts.BEAN, "monitor");
    }

    private void list(Exchange exchange) throws SQLException {
        ArrayNode items = HttpAnswers.MAPPER.createArrayNode();
        for (String flow : FlowNames.of(getContext())) {
            items.add(ManagedFlowRollouts.json(rollouts, flow));
        }
        HttpAnswers.json(exchange, 200, HttpAnswers.MAPPER.createObjectNode().set("items", items).toString());
    }

    private void answer(Exchange exchange, String flow) throws SQLException {
        HttpAnswers.json(exchange, 200, ManagedFlowRollouts.json(rollouts, flow).toString());
    }

    private String flow(Exchange exchange, String suffix) throws ApiProblem {
        String flow = AdminRequests.pathSegment(exchange, PATH_PREFIX, suffix);
        if (!FlowNames.of(getContext()).contains(flow)) {
            throw new ApiProblem(404, "flow-not-found", "No such flow",
                    "There is no flow " + AdminRequests.printable(flow) + "; flows: " + FlowNames.of(getContext()));
        }
        return flow;
    }

    /** The optional {@code {"reason": "..."}} of a promotion or a rollback. */
    private static String reason(Exchange exchange) throws ApiProblem {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode request = HttpAnswers.MAPPER.readTree(body);
            JsonNode reason = request == null ? null : request.get("reason");
            if (request == null || !request.isObject() || (reason != null && !reason.isNull() && !reason.isTextual())) {
                throw ApiProblem.badRequest("The body is optional; if given, it is {\"reason\": \"why\"}");
            }
            return reason == null || reason.isNull() ? null : AdminRequests.blankToNull(reason.asText());
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private void fail(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (failure instanceof IllegalStateException conflict) {
            HttpAnswers.problem(exchange, 409, "rollout-conflict", "The rollout cannot change so",
                    conflict.getMessage(), null);
        } else {
            AdminRequests.fail(exchange);
        }
    }

    private static String user(Exchange exchange) {
        return exchange.getProperty(AdminAccess.USER_PROPERTY, String.class);
    }

    private static String correlationId(Exchange exchange) {
        return exchange.getProperty(CorrelationIds.PROPERTY, String.class);
    }
}

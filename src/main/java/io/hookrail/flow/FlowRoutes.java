package io.hookrail.flow;

import io.hookrail.dlq.DeadLetterWriter;
import io.hookrail.ops.metrics.HookrailMetrics;
import org.apache.camel.BeanInject;
import org.apache.camel.builder.RouteBuilder;

/**
 * Platform routes the YAML flows lean on: a failed run's end (compensation, then its dead letter), the resolution
 * of a step whose outcome is unknown, and keeping the flow keys of this instance alive.
 */
public class FlowRoutes extends RouteBuilder {

    @BeanInject
    private DeadLetterWriter deadLetters;
    @BeanInject
    private DownstreamCircuitBreakers breakers;
    @BeanInject(HookrailMetrics.BEAN)
    private HookrailMetrics metrics;

    @Override
    public void configure() {
        breakers.bySystem().forEach((system, breaker) ->
                metrics.circuitBreaker(system, () -> DownstreamCircuitBreakers.gaugeValue(breaker)));

        // the dead letter channel of every flow ends here, inside the consuming JMS transaction: the run's effects
        // are compensated first, then the dead letter and the acknowledgement of the original message commit together
        from("direct:flow-failed")
                .routeId("flow-failed")
                // a shadow run has nothing to undo and no dead letter: its failure is in the parity report
                .filter(exchangeProperty(FlowContext.SHADOW).isEqualTo(true))
                    .bean(FlowShadows.BEAN, "failed")
                    .stop()
                .end()
                .bean(FlowCompensation.BEAN, "compensate")
                .bean(FlowRun.BEAN, "release")
                .choice()
                    .when(exchangeProperty(FlowCompensation.FINISHED).isEqualTo(true))
                        .bean(FlowOutcomes.BEAN, "endedCompensated")
                    .otherwise()
                        .to("direct:dead-letter")
                .end();

        // a copy of a live run (Wire Tap of the flow's entry) through the candidate version's steps (ADR 11)
        from("direct:flow-shadow")
                .routeId("flow-shadow")
                .onException(Exception.class).handled(true).bean(FlowShadows.BEAN, "failed").end()
                .bean(FlowShadows.BEAN, "begin")
                .toD("${exchangeProperty." + FlowContext.STEPS + "}")
                .bean(FlowShadows.BEAN, "completed");

        from("direct:dead-letter")
                .routeId("dead-letter")
                .process(deadLetters::describe)
                .toD("jms:queue:DLQ.${exchangeProperty.flow}?deliveryPersistent=true")
                .bean(FlowOutcomes.BEAN, "deadLettered");

        // a step whose outcome is unknown repeats its journaled request with its key before it is compensated,
        // retried in place like a step
        from(FlowCompensation.RESOLVE_URI)
                .routeId("resolve-step")
                .errorHandler(defaultErrorHandler()
                        .retryWhileRef(StepRetryPolicy.BEAN)
                        .onExceptionOccurredRef(StepFailures.BEAN)
                        .maximumRedeliveries(100))
                .toD("${exchangeProperty." + JournaledStep.URL + "}")
                .convertBodyTo(String.class)
                .bean(JournaledStep.BEAN, "after");

        from("timer:flow-key-heartbeat?period={{hookrail.flow.keyHeartbeatMillis:15000}}")
                .routeId("flow-key-heartbeat")
                .bean("flowIdempotency", "heartbeat");

        // singleton (ADR 9); the heartbeat above is each instance's own keys
        from("master:flow-key-purge:timer:flow-key-purge?delay=60000&period=3600000")
                .routeId("flow-key-purge")
                .bean("flowIdempotency", "purgeCompletedOlderThan('{{hookrail.flow.keyRetention:P90D}}')");
    }
}

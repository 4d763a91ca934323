package io.hookrail.ops.metrics;

import java.time.Duration;

import io.hookrail.flow.FlowContext;
import io.hookrail.flow.JournaledStep;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSendingEvent;
import org.apache.camel.spi.CamelEvent.ExchangeSentEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times every downstream call of a flow step from Camel's own "exchange sending/sent" events, so no route has to start and
 * stop a timer around its calls: a call is a send to an HTTP endpoint on an exchange that names its {@code system}
 * and {@code step} (the downstream-call Kamelet sets both). It records the latency histogram and the timeline entry,
 * failures included.
 */
public final class DownstreamCallObserver extends EventNotifierSupport {

    /** Exchange property the Kamelet sets: the system called. */
    public static final String SYSTEM = "system";

    private HookrailMetrics metrics;
    private EventTimeline timeline;

    public DownstreamCallObserver() {
        // only sending and sent events: everything else Camel announces is none of this observer's business
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    protected void doStart() {
        // looked up when Camel starts, once every configuration class has bound its beans
        metrics = getCamelContext().getRegistry().lookupByNameAndType(HookrailMetrics.BEAN, HookrailMetrics.class);
        timeline = getCamelContext().getRegistry().lookupByNameAndType(EventTimeline.BEAN, EventTimeline.class);
    }

    /** Camel announces "sent" only for a send whose "sending" a notifier took, so both are taken. */
    @Override
    public boolean isEnabled(CamelEvent event) {
        return (event instanceof ExchangeSendingEvent || event instanceof ExchangeSentEvent)
                && event instanceof CamelEvent.ExchangeEvent exchangeEvent
                && exchangeEvent.getExchange().getProperty(SYSTEM) != null
                && endpointUri(event).startsWith("http");
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof ExchangeSentEvent sent)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        if (exchange.getProperty(FlowContext.SHADOW, false, Boolean.class)) {
            // a shadow run's calls go to the sandbox: they say nothing of the downstream systems
            return;
        }
        String system = exchange.getProperty(SYSTEM, String.class);
        String step = exchange.getProperty(JournaledStep.STEP, String.class);
        String status = status(exchange);
        metrics.downstreamCall(system, step, status, exchange.getProperty(FlowContext.FLOW, "unknown", String.class),
                exchange.getProperty(FlowContext.FLOW_VERSION, "1", String.class), Duration.ofMillis(sent.getTimeTaken()));
        Exception failure = exchange.getException();
        timeline.record(exchange, "call", step, status, sent.getTimeTaken(),
                failure == null ? system : system + ": " + failure.getMessage());
    }

    private static String endpointUri(CamelEvent event) {
        return event instanceof ExchangeSentEvent sent ? sent.getEndpoint().getEndpointUri()
                : ((ExchangeSendingEvent) event).getEndpoint().getEndpointUri();
    }

    /** The HTTP status class of the answer, or {@code error} when there was none (timeout, connection refused). */
    static String status(Exchange exchange) {
        Exception failure = exchange.getException();
        Integer code = failure instanceof HttpOperationFailedException http ? Integer.valueOf(http.getStatusCode())
                : failure == null ? exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class) : null;
        return code == null ? "error" : (code / 100) + "xx";
    }
}

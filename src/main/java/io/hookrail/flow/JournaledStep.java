package io.hookrail.flow;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.hookrail.flow.StepJournal.Run;
import io.hookrail.flow.StepJournal.Step;
import io.hookrail.flow.StepJournal.StepState;
import io.hookrail.probe.Synthetic;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's side of one downstream call (the {@code downstream-call-action} Kamelet and the resolution of an
 * unknown outcome): the intent, committed before the call, with the step's stable Idempotency-Key; the response,
 * with its audit entry, after it. A step already done in this attempt is not sent again: its recorded response is
 * its result.
 */
public final class JournaledStep {

    /** The registry name of the bean. */
    public static final String BEAN = "journaledStep";
    /** Exchange property naming the step a downstream call performs, e.g. {@code invoice.create}. */
    public static final String STEP = "step";
    /** Exchange property: the URL the step calls, evaluated once per call. */
    public static final String URL = "stepUrl";
    /** Exchange property: the route that undoes the step, or empty. */
    public static final String COMPENSATION = "stepCompensation";
    /** Exchange property, on a compensation's exchange: the step it undoes. */
    public static final String UNDOES = "undoes";
    /** Variable holding the recorded response of the step being undone. */
    public static final String DONE_VARIABLE = "done";
    /** Exchange property: true when the step was done before and is not sent again. */
    public static final String ALREADY_DONE = "stepAlreadyDone";
    /** Exchange property: true while a call is on the wire (its failure is then FAILED or UNKNOWN). */
    static final String IN_FLIGHT = "stepInFlight";
    /** Exchange property: the failed tries of the current step in this delivery. */
    static final String TRIES = "stepTries";

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(JournaledStep.class);

    private final StepJournal journal;
    private final FlowShadows shadows;

    public JournaledStep(StepJournal journal, FlowShadows shadows) {
        this.journal = journal;
        this.shadows = shadows;
    }

    /** The run a step of this exchange belongs to. */
    static Run run(Exchange exchange) {
        return new Run(exchange.getProperty(FlowContext.FLOW, String.class),
                exchange.getProperty(FlowContext.BUSINESS_ID, String.class),
                exchange.getProperty(FlowContext.ATTEMPT, Integer.class));
    }

    /**
     * Before the call: a step done before gets its recorded response as the body and property
     * {@value #ALREADY_DONE}; any other gets its intent journaled and the request headers, key included.
     */
    public void before(Exchange exchange) throws SQLException {
        Run run = run(exchange);
        String step = exchange.getProperty(STEP, String.class);
        if (FlowShadows.isShadow(exchange)) {
            // not journaled: the call goes to the sandbox, under a key of its own
            String body = exchange.getMessage().getBody(String.class);
            exchange.setProperty(URL, shadows.call(exchange, step, exchange.getProperty("system", String.class),
                    exchange.getProperty(URL, String.class), body));
            request(exchange, FlowShadows.KEY_PREFIX + StepJournal.idempotencyKey(run, step), body);
            return;
        }
        Optional<Step> journaled = journal.step(run, step);
        Message message = exchange.getMessage();
        if (journaled.isPresent() && journaled.get().state() == StepState.DONE) {
            LOG.info("Step {} was done before (Idempotency-Key {}): not sent again", step,
                    journaled.get().idempotencyKey());
            exchange.setProperty(ALREADY_DONE, true);
            message.setBody(journaled.get().response());
            return;
        }
        String body = message.getBody(String.class);
        String key = journal.intent(run, step, exchange.getProperty(COMPENSATION, String.class),
                exchange.getProperty(UNDOES, String.class), exchange.getProperty(URL, String.class), body);
        request(exchange, key, body);
    }

    /** Before repeating the journaled request of a step whose outcome is unknown: the same URL, body and key. */
    public void beforeResolution(Exchange exchange, Step step) {
        exchange.setProperty(STEP, step.step());
        exchange.setProperty(URL, step.requestUrl());
        request(exchange, step.idempotencyKey(), step.requestBody());
    }

    /** After a 2xx: the response and the audit entry of the call, in one transaction. */
    public void after(Exchange exchange) throws SQLException {
        exchange.setProperty(IN_FLIGHT, false);
        exchange.removeProperty(TRIES);
        if (FlowShadows.isShadow(exchange)) {
            return;
        }
        Run run = run(exchange);
        String step = exchange.getProperty(STEP, String.class);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("step", step);
        detail.put("eventId", exchange.getProperty(FlowContext.EVENT_ID, String.class));
        detail.put("attempt", run.attempt());
        detail.put("idempotencyKey", StepJournal.idempotencyKey(run, step));
        detail.put("compensation", exchange.getProperty(UNDOES) != null);
        journal.done(run, step, exchange.getMessage().getBody(String.class), "flow:" + run.flow(),
                run.flow() + "/" + run.businessId(), exchange.getProperty(FlowContext.CORRELATION_ID, String.class),
                detail);
    }

    private static void request(Exchange exchange, String key, String body) {
        Message message = exchange.getMessage();
        message.setBody(body);
        message.setHeader(IDEMPOTENCY_KEY_HEADER, key);
        message.setHeader("X-Correlation-Id", exchange.getProperty(FlowContext.CORRELATION_ID, String.class));
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        if (Synthetic.isSynthetic(exchange.getProperty(FlowContext.BUSINESS_ID, String.class))) {
            // a synthetic probe's call: a downstream system may answer it without doing anything
            message.setHeader(Synthetic.HEADER, "true");
        }
        exchange.setProperty(ALREADY_DONE, false);
        exchange.setProperty(IN_FLIGHT, true);
    }
}

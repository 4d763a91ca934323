package io.hookrail.dlq;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.hookrail.broker.EventTopics;
import io.hookrail.flow.FlowContext;
import io.hookrail.flow.PoisonEventException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link DeadLetterWriter#describe(Exchange)} writes on the message: the kind and the steps done among it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeadLetterWriterTest {

    final DeadLetterWriter writer = new DeadLetterWriter(Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC));
    CamelContext context;

    @BeforeAll
    void start() {
        context = new DefaultCamelContext();
    }

    @AfterAll
    void stop() throws Exception {
        context.close();
    }

    Message describe(Exception failure, Boolean compensationFailed, Object stepsDone) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setProperty(FlowContext.FLOW, "order-fulfilment");
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, failure);
        if (compensationFailed != null) {
            exchange.setProperty(DeadLetterWriter.COMPENSATION_FAILED, compensationFailed);
        }
        if (stepsDone != null) {
            exchange.setProperty(DeadLetters.STEPS_DONE, stepsDone);
        }
        exchange.getMessage().setHeader(EventTopics.EVENT_TYPE_HEADER, "order.placed");
        writer.describe(exchange);
        return exchange.getMessage();
    }

    @Test
    void aFailedRunIsOfKindFailedRunWithTheStepsItHadDone() {
        Message message = describe(new IOException("ERP answered 503"), null, "invoice.create,payment.capture");
        assertEquals("failed-run", message.getHeader(DeadLetters.KIND));
        assertEquals("invoice.create,payment.capture", message.getHeader(DeadLetters.STEPS_DONE));
        // the older flags stay, for whoever reads them
        assertEquals("false", message.getHeader(DeadLetters.POISON));
        assertEquals("false", message.getHeader(DeadLetters.FAILED_COMPENSATION));
        assertEquals("ERP answered 503", message.getHeader(DeadLetters.ERROR));
        assertEquals(EventTopics.flowQueue("order-fulfilment", "order.placed"), message.getHeader(DeadLetters.ORIGIN_QUEUE));
    }

    @Test
    void aCompensationThatGaveUpIsOfKindFailedCompensation() {
        Message message = describe(new IOException("refund refused"), true, "invoice.create,payment.capture");
        assertEquals("failed-compensation", message.getHeader(DeadLetters.KIND));
        assertEquals("true", message.getHeader(DeadLetters.FAILED_COMPENSATION));
        assertEquals("false", message.getHeader(DeadLetters.POISON));
        assertEquals("invoice.create,payment.capture", message.getHeader(DeadLetters.STEPS_DONE));
        assertEquals("failed-run", describe(new IOException("x"), false, null).getHeader(DeadLetters.KIND));
    }

    @Test
    void aPoisonEventIsOfKindPoisonWhateverElseHappened() {
        Message message = describe(new PoisonEventException("message is not JSON"), null, null);
        assertEquals("poison", message.getHeader(DeadLetters.KIND));
        assertEquals("true", message.getHeader(DeadLetters.POISON));
        assertEquals("poison", describe(new PoisonEventException("x"), true, null).getHeader(DeadLetters.KIND));
    }

    @Test
    void stepsDoneAreEmptyWhenTheEngineSetNoneAndJoinedWhenItSetAList() {
        assertEquals("", describe(new IOException("x"), null, null).getHeader(DeadLetters.STEPS_DONE));
        assertEquals("", describe(new IOException("x"), null, "").getHeader(DeadLetters.STEPS_DONE));
        assertEquals("invoice.create,payment.capture", describe(new IOException("x"), null,
                List.of("invoice.create", "payment.capture")).getHeader(DeadLetters.STEPS_DONE));
    }

    @Test
    void theListShowsStepsDoneAsNames() {
        assertEquals(List.of("invoice.create", "payment.capture"), DeadLetter.steps(" invoice.create, payment.capture,"));
        assertEquals(List.of(), DeadLetter.steps(""));
        assertEquals(List.of(), DeadLetter.steps(null));
    }
}

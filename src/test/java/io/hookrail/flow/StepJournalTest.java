package io.hookrail.flow;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import io.hookrail.audit.AuditTrail;
import io.hookrail.flow.StepJournal.AttemptState;
import io.hookrail.flow.StepJournal.Run;
import io.hookrail.flow.StepJournal.StepState;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The step journal's rows on a real (in-memory H2) store migrated by the production scripts. */
class StepJournalTest {

    private StepJournal journal;
    private final Run run = new Run("order-fulfilment", "ORD-1", 1);

    @BeforeEach
    void migrate() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        AuditTrail audit = new AuditTrail(dataSource, Clock.systemUTC());
        journal = new StepJournal(dataSource, audit, Clock.systemUTC(), io.hookrail.privacy.TestPersonalData.create());
    }

    @Test
    void aStepKeepsItsKeyOnEveryCallOfItsAttempt() throws Exception {
        journal.startAttempt(run.flow(), run.businessId(), 1, "evt-1");
        String key = journal.intent(run, "payment.capture", "direct:refund", null, "http://p/captures", "{}");
        assertEquals("order-fulfilment:ORD-1:payment.capture:1", key);
        journal.failed(run, "payment.capture", StepState.FAILED, "503");
        assertEquals(key, journal.intent(run, "payment.capture", "direct:refund", null, "http://p/captures", "{}"));
        var again = journal.step(run, "payment.capture").orElseThrow();
        assertEquals(key, again.idempotencyKey());
        assertEquals(2, again.calls());
        assertEquals(StepState.INTENT, again.state());
    }

    @Test
    void anUnknownOutcomeIsNeverTurnedIntoAFailure() throws Exception {
        journal.startAttempt(run.flow(), run.businessId(), 1, "evt-1");
        journal.intent(run, "payment.capture", null, null, "http://p/captures", "{}");
        journal.failed(run, "payment.capture", StepState.UNKNOWN, "Read timed out");
        journal.intent(run, "payment.capture", null, null, "http://p/captures", "{}");
        assertEquals(StepState.UNKNOWN, journal.step(run, "payment.capture").orElseThrow().state());
        journal.failed(run, "payment.capture", StepState.FAILED, "503");
        assertEquals(StepState.UNKNOWN, journal.step(run, "payment.capture").orElseThrow().state());
        journal.done(run, "payment.capture", "{\"paymentId\":\"PAY-1\"}", "flow:test", "order-fulfilment/ORD-1", null,
                Map.of());
        assertEquals(StepState.DONE, journal.step(run, "payment.capture").orElseThrow().state());
        journal.failed(run, "payment.capture", StepState.FAILED, "late");
        assertEquals(StepState.DONE, journal.step(run, "payment.capture").orElseThrow().state(), "a done step stays done");
    }

    @Test
    void stepsAreListedInTheOrderTheyWereFirstTriedAndAttemptsMoveOn() throws Exception {
        journal.startAttempt(run.flow(), run.businessId(), 1, "evt-1");
        journal.intent(run, "invoice.create", "direct:cancel", null, "http://e/invoices", "{}");
        journal.intent(run, "payment.capture", "direct:refund", null, "http://p/captures", "{}");
        journal.intent(run, "invoice.create", "direct:cancel", null, "http://e/invoices", "{}");
        assertEquals(java.util.List.of("invoice.create", "payment.capture"),
                journal.steps(run).stream().map(StepJournal.Step::step).toList());
        journal.attemptState(run, AttemptState.COMPENSATED, "email down");
        journal.startAttempt(run.flow(), run.businessId(), 2, "evt-2");
        var latest = journal.latestAttempt(run.flow(), run.businessId()).orElseThrow();
        assertEquals(2, latest.number());
        assertEquals(AttemptState.RUNNING, latest.state());
        assertTrue(journal.steps(new Run(run.flow(), run.businessId(), 2)).isEmpty());
    }

    @Test
    void anOutcomeOfAStepNeverJournaledIsRefused() {
        assertThrows(IllegalStateException.class, () -> journal.compensated(run, "invoice.create"));
    }
}

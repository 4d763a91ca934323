package io.hookrail.flow;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.hookrail.audit.AuditQuery;
import io.hookrail.audit.AuditTrail;
import io.hookrail.audit.AuditVerification;
import io.hookrail.flow.StepJournal.Run;
import io.hookrail.flow.StepJournal.StepState;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Step outcomes written through the running audit trail's batches: each caller returns with its own step DONE and
 * its audit entry in the chain; a step that was never journaled fails its own caller only.
 */
class StepJournalBatchTest {

    private AuditTrail audit;
    private StepJournal journal;
    private final ExecutorService steps = Executors.newFixedThreadPool(8);

    @BeforeEach
    void migrate() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        audit = new AuditTrail(dataSource, Clock.systemUTC(), 16, 1000);
        audit.start();
        journal = new StepJournal(dataSource, audit, Clock.systemUTC(), io.hookrail.privacy.TestPersonalData.create(),
                16, 1000);
        journal.start();
    }

    @AfterEach
    void stop() {
        journal.stop();
        audit.stop();
        steps.shutdownNow();
    }

    @Test
    void concurrentOutcomesAreEachCommittedWithTheirEntryInOneChain() throws Exception {
        int orders = 40;
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            Run run = new Run("order-fulfilment", "ORD-" + i, 1);
            journal.startAttempt(run.flow(), run.businessId(), 1, "evt-" + i);
            journal.intent(run, "invoice.create", null, null, "http://e/invoices", "{}");
            done.add(steps.submit(() -> {
                journal.done(run, "invoice.create", "{\"invoiceId\":\"INV-" + run.businessId() + "\"}", "flow:test",
                        run.flow() + "/" + run.businessId(), null, Map.of("step", "invoice.create"));
                // the caller returns only once its own row is committed: it reads it at once
                assertEquals(StepState.DONE, journal.step(run, "invoice.create").orElseThrow().state());
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < orders; i++) {
            StepJournal.Step step = journal.step(new Run("order-fulfilment", "ORD-" + i, 1), "invoice.create").orElseThrow();
            assertEquals(StepState.DONE, step.state());
            assertEquals("{\"invoiceId\":\"INV-ORD-" + i + "\"}", step.response());
        }
        assertEquals(orders, audit.list(AuditQuery.newest()).total());
        assertEquals(AuditVerification.intact(orders), audit.verify());
    }

    @Test
    void concurrentIntentsAreEachCommittedWithTheirKeyAndTheirOwnSeq() throws Exception {
        int orders = 40;
        List<Future<String>> keys = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            Run run = new Run("order-fulfilment", "ORD-" + i, 1);
            journal.startAttempt(run.flow(), run.businessId(), 1, "evt-" + i);
            keys.add(steps.submit(() -> {
                String invoice = journal.intent(run, "invoice.create", "direct:cancel", null, "http://e/invoices",
                        "{\"n\":1}");
                String payment = journal.intent(run, "payment.capture", "direct:refund", null, "http://p/captures",
                        "{\"n\":2}");
                // the caller returns only once its own row is committed: it reads it at once
                assertEquals(StepState.INTENT, journal.step(run, "payment.capture").orElseThrow().state());
                return invoice + " " + payment;
            }));
        }
        for (int i = 0; i < orders; i++) {
            assertEquals("order-fulfilment:ORD-" + i + ":invoice.create:1 order-fulfilment:ORD-" + i
                    + ":payment.capture:1", keys.get(i).get(30, TimeUnit.SECONDS));
            List<StepJournal.Step> journaled = journal.steps(new Run("order-fulfilment", "ORD-" + i, 1));
            assertEquals(List.of("invoice.create", "payment.capture"),
                    journaled.stream().map(StepJournal.Step::step).toList());
            assertEquals(List.of(1, 2), journaled.stream().map(StepJournal.Step::seq).toList());
            assertEquals("{\"n\":2}", journaled.get(1).requestBody());
            assertEquals("direct:refund", journaled.get(1).compensation());
        }
    }

    @Test
    void anIntentThatCannotBeWrittenFailsAlone() throws Exception {
        Run run = new Run("order-fulfilment", "ORD-1", 1);
        journal.startAttempt(run.flow(), run.businessId(), 1, "evt-1");
        Future<String> good = steps.submit(() -> journal.intent(run, "invoice.create", null, null, "http://e", "{}"));
        // a step name longer than its column
        Future<String> bad = steps.submit(() -> journal.intent(run, "x".repeat(5000), null, null, "http://e", "{}"));
        assertEquals("order-fulfilment:ORD-1:invoice.create:1", good.get(30, TimeUnit.SECONDS));
        Exception failure = assertThrows(Exception.class, () -> bad.get(30, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof java.sql.SQLException, failure.toString());
        assertEquals(List.of("invoice.create"), journal.steps(run).stream().map(StepJournal.Step::step).toList());
    }

    @Test
    void aStepNeverJournaledFailsAloneAndLeavesNoEntry() throws Exception {
        Run run = new Run("order-fulfilment", "ORD-1", 1);
        journal.startAttempt(run.flow(), run.businessId(), 1, "evt-1");
        journal.intent(run, "invoice.create", null, null, "http://e/invoices", "{}");
        Future<?> good = steps.submit(() -> {
            journal.done(run, "invoice.create", "{}", "flow:test", "order-fulfilment/ORD-1", null, Map.of());
            return null;
        });
        Future<?> never = steps.submit(() -> {
            journal.done(run, "payment.capture", "{}", "flow:test", "order-fulfilment/ORD-1", null, Map.of());
            return null;
        });
        good.get(30, TimeUnit.SECONDS);
        Exception failure = assertThrows(Exception.class, () -> never.get(30, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof IllegalStateException, failure.toString());
        assertEquals(StepState.DONE, journal.step(run, "invoice.create").orElseThrow().state());
        assertEquals(AuditVerification.intact(1), audit.verify());
    }
}

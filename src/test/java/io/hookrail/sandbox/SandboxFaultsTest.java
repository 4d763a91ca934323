package io.hookrail.sandbox;

import java.util.List;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sandbox's faults in the store (in-memory H2 migrated by the production scripts): two {@link SandboxFaults} on
 * one database stand for two instances behind one sandbox API.
 */
class SandboxFaultsTest {

    private SandboxFaults one;
    private SandboxFaults other;

    @BeforeEach
    void migrate() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        one = new SandboxFaults(dataSource, SandboxOperation.operationsBySystem());
        other = new SandboxFaults(dataSource, SandboxOperation.operationsBySystem());
    }

    private static SandboxFaults.Fault fault(String system, String operation, SandboxFaults.Mode mode) {
        return new SandboxFaults.Fault(system, operation, mode, 1.0, 0, 1);
    }

    @Test
    void aFaultInjectedThroughOneInstanceAppliesToCallsOfAnother() throws Exception {
        one.inject(fault("payments", null, SandboxFaults.Mode.DOWN));
        assertThrows(SandboxRejection.class, () -> other.inflict(SandboxOperation.PAYMENT_CAPTURE));
        assertDoesNotThrow(() -> other.inflict(SandboxOperation.INVOICE_CREATE));
        other.clear();
        assertDoesNotThrow(() -> one.inflict(SandboxOperation.PAYMENT_CAPTURE));
        assertEquals(List.of(), one.list());
    }

    @Test
    void aNewFaultReplacesOnlyTheFaultOfItsScope() throws Exception {
        one.inject(fault("payments", null, SandboxFaults.Mode.ERROR));
        one.inject(fault("payments", "payment.refund", SandboxFaults.Mode.THROTTLE));
        other.inject(fault("payments", null, SandboxFaults.Mode.DOWN));
        SandboxFaults.Fault slower = new SandboxFaults.Fault("payments", "payment.refund", SandboxFaults.Mode.SLOW,
                0.5, 10, 7);
        other.inject(slower);
        assertEquals(List.of(fault("payments", null, SandboxFaults.Mode.DOWN), slower), one.list());
    }

    @Test
    void anOperationsFaultTakesPrecedenceOverItsSystems() throws Exception {
        one.inject(fault("payments", null, SandboxFaults.Mode.DOWN));
        one.inject(fault("payments", "payment.refund", SandboxFaults.Mode.SLOW));
        assertDoesNotThrow(() -> other.inflict(SandboxOperation.PAYMENT_REFUND), "slow for 0 ms, not down");
        assertThrows(SandboxRejection.class, () -> other.inflict(SandboxOperation.PAYMENT_CAPTURE));
    }

    @Test
    void faultsAreListedBySystemEachSystemsOwnFirst() throws Exception {
        one.inject(fault("payments", "payment.refund", SandboxFaults.Mode.DOWN));
        one.inject(fault("erp", "invoice.markPaid", SandboxFaults.Mode.DOWN));
        one.inject(fault("payments", null, SandboxFaults.Mode.ERROR));
        one.inject(fault("erp", "invoice.cancel", SandboxFaults.Mode.DOWN));
        one.inject(fault("crm", null, SandboxFaults.Mode.THROTTLE));
        assertEquals(List.of(fault("crm", null, SandboxFaults.Mode.THROTTLE),
                fault("erp", "invoice.cancel", SandboxFaults.Mode.DOWN),
                fault("erp", "invoice.markPaid", SandboxFaults.Mode.DOWN),
                fault("payments", null, SandboxFaults.Mode.ERROR),
                fault("payments", "payment.refund", SandboxFaults.Mode.DOWN)), other.list());
    }
}

package io.hookrail.reconcile;

import io.hookrail.support.TestDatabase;

/** The reconciliation on PostgreSQL. */
class ReconciliationOnPostgresTest extends ReconciliationTest {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

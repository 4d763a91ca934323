package io.hookrail.audit;

import io.hookrail.support.TestDatabase;

/** The audit trail and its API on PostgreSQL. */
class AuditOnPostgresTest extends AuditScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

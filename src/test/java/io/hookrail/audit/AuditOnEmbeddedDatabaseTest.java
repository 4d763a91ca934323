package io.hookrail.audit;

import io.hookrail.support.TestDatabase;

/** The audit trail and its API on the embedded defaults (H2). */
class AuditOnEmbeddedDatabaseTest extends AuditScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

package io.hookrail.approval;

import io.hookrail.support.TestDatabase;

/** Held approvals survive a kill, on the embedded database. */
class ApprovalKillOnEmbeddedDatabaseTest extends ApprovalKillScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

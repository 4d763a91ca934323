package io.hookrail.approval;

import io.hookrail.support.TestDatabase;

/** Approval gates on the embedded defaults. */
class ApprovalsOnEmbeddedDatabaseTest extends ApprovalScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

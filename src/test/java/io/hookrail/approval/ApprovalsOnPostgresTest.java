package io.hookrail.approval;

import io.hookrail.support.TestDatabase;

/** Approval gates on PostgreSQL. */
class ApprovalsOnPostgresTest extends ApprovalScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

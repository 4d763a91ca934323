package io.hookrail.approval;

import io.hookrail.support.TestDatabase;

/** Held approvals survive a kill, on PostgreSQL. */
class ApprovalKillOnPostgresTest extends ApprovalKillScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

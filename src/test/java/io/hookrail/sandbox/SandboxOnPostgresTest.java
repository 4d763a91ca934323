package io.hookrail.sandbox;

import io.hookrail.support.TestDatabase;

/** The sandbox's contract on PostgreSQL. */
class SandboxOnPostgresTest extends SandboxScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

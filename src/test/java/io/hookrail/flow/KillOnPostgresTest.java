package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** The kill test on PostgreSQL. */
class KillOnPostgresTest extends KillScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

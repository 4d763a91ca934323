package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** The flows on PostgreSQL. */
class FlowsOnPostgresTest extends FlowScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

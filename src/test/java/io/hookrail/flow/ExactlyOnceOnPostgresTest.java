package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** Exactly once in effect on PostgreSQL. */
class ExactlyOnceOnPostgresTest extends ExactlyOnceScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

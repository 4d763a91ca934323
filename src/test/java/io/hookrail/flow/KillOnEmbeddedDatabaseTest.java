package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** The kill test on the embedded defaults. */
class KillOnEmbeddedDatabaseTest extends KillScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

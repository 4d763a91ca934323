package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** The flows on the embedded defaults. */
class FlowsOnEmbeddedDatabaseTest extends FlowScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

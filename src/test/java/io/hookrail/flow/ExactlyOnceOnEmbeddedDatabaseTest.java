package io.hookrail.flow;

import io.hookrail.support.TestDatabase;

/** Exactly once in effect on the embedded defaults: H2 under the data directory. */
class ExactlyOnceOnEmbeddedDatabaseTest extends ExactlyOnceScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

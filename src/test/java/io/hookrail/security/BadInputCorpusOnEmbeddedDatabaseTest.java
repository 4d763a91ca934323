package io.hookrail.security;

import io.hookrail.support.TestDatabase;

/** The bad-input corpus on the embedded defaults: H2 under the data directory. */
class BadInputCorpusOnEmbeddedDatabaseTest extends BadInputCorpusScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

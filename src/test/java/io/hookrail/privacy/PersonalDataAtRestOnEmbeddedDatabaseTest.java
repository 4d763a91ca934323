package io.hookrail.privacy;

import io.hookrail.support.TestDatabase;

/** Personal data at rest on the embedded defaults (H2, embedded broker). */
class PersonalDataAtRestOnEmbeddedDatabaseTest extends PersonalDataAtRestScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

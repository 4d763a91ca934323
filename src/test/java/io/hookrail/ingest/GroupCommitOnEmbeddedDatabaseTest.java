package io.hookrail.ingest;

import io.hookrail.support.TestDatabase;

/** Group commit at the door on H2 (one file shared by the instances of a test). */
class GroupCommitOnEmbeddedDatabaseTest extends GroupCommitScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

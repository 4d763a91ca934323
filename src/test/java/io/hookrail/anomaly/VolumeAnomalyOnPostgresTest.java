package io.hookrail.anomaly;

import io.hookrail.support.TestDatabase;

/** The volume check on PostgreSQL. */
class VolumeAnomalyOnPostgresTest extends VolumeAnomalyTest {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

package io.hookrail.privacy;

import io.hookrail.support.TestDatabase;

/** Personal data at rest on PostgreSQL. */
class PersonalDataAtRestOnPostgresTest extends PersonalDataAtRestScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

package io.hookrail.security;

import io.hookrail.support.TestDatabase;

/** The bad-input corpus on PostgreSQL, which refuses a NUL in text where H2 takes it. */
class BadInputCorpusOnPostgresTest extends BadInputCorpusScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

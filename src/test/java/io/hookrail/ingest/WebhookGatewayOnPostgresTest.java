package io.hookrail.ingest;

import io.hookrail.support.TestDatabase;

/** The gateway's contract on PostgreSQL. */
class WebhookGatewayOnPostgresTest extends WebhookGatewayScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }
}

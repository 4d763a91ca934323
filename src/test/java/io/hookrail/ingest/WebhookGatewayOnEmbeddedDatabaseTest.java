package io.hookrail.ingest;

import io.hookrail.support.TestDatabase;

/** The gateway's contract on the embedded defaults: H2 under the data directory. */
class WebhookGatewayOnEmbeddedDatabaseTest extends WebhookGatewayScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.embeddedDefault();
    }
}

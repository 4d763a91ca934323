package io.hookrail.ingest;

import java.util.List;

import io.hookrail.support.EventQueue;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Group commit at the door on PostgreSQL. */
class GroupCommitOnPostgresTest extends GroupCommitScenarios {

    @Override
    TestDatabase database() {
        return TestDatabase.freshPostgres();
    }

    @Test
    void aBatchTheStoreFailsIsAnswered503EverywhereAndItsRetriesAreAccepted() throws Exception {
        List<String> ids = newIds(20);
        try (EventQueue queue = new EventQueue(broker.url(), "gc-store-outage", "order.placed")) {
            database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS false");
            database.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db}'");
            try {
                deliverAllRefused(ids);
            } finally {
                database.admin("ALTER DATABASE ${db} ALLOW_CONNECTIONS true");
            }
            assertRetriesAcceptedAndPublishedOnce(ids, queue);
        }
    }
}

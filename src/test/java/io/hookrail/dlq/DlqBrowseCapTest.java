package io.hookrail.dlq;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.hookrail.broker.EventRequester;
import io.hookrail.broker.EventSeal;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ActiveMQ's {@code maxBrowsePageSize} (400 by default) and Hookrail's JMS browse of {@code DLQ.>}: a broker whose
 * destination policy has no entry for the dead-letter queues (Hookrail's embedded broker, and the stock
 * {@code activemq.xml}, whose only entry is for topics) lets a browser see every message; an entry that matches them
 * caps each browser at its {@code maxBrowsePageSize}, for all the {@code DLQ.*} queues together. This is what the
 * docs/dlq.md tells the operator of an external broker.
 */
class DlqBrowseCapTest {

    static final int LETTERS = 450;

    /** 450 dead letters on two DLQ queues of a broker with these policy entries, and a store reading them. */
    record Broker(BrokerService service, DeadLetterStore store, DlqFixture dlq) implements AutoCloseable {

        static Broker with(PolicyEntry... entries) throws Exception {
            Path dir = Files.createTempDirectory("hookrail-dlq-cap-");
            KahaDBPersistenceAdapter kahaDb = new KahaDBPersistenceAdapter();
            kahaDb.setDirectory(dir.resolve("kahadb").toFile());
            BrokerService service = new BrokerService();
            service.setBrokerName("dlq-cap-" + System.nanoTime());
            service.setPersistenceAdapter(kahaDb);
            service.setDataDirectoryFile(dir.toFile());
            service.setUseJmx(false);
            service.setUseShutdownHook(false);
            if (entries.length > 0) {
                PolicyMap policies = new PolicyMap();
                policies.setPolicyEntries(List.of((Object[]) entries));
                service.setDestinationPolicy(policies);
            }
            service.start();
            service.waitUntilStarted();
            String url = "vm://" + service.getBrokerName() + "?create=false";
            DlqFixture dlq = new DlqFixture(url, null);
            for (int i = 0; i < LETTERS; i++) {
                dlq.put(DlqFixture.Letter.of(i % 3 == 0 ? "other-flow" : "test-flow", "evt-" + i,
                        "java.io.IOException", "down", Instant.now()));
            }
            return new Broker(service, new DeadLetterStore(new ActiveMQConnectionFactory(url), 5000,
                    new EventSeal(new byte[EventSeal.MIN_KEY_BYTES])), dlq);
        }

        @Override
        public void close() throws Exception {
            dlq.close();
            service.stop();
            service.waitUntilStopped();
        }
    }

    static PolicyEntry everyQueue() {
        PolicyEntry entry = new PolicyEntry();
        entry.setQueue(">");
        return entry;
    }

    @Test
    void withoutAPolicyForTheDeadLetterQueuesEveryOneIsBrowsed() throws Exception {
        try (Broker broker = Broker.with()) {
            assertEquals(LETTERS, broker.store().list(DeadLetterQuery.ALL).size());
        }
    }

    @Test
    void aPolicyEntryMatchingTheDeadLetterQueuesCapsTheBrowseAtItsMaxBrowsePageSize() throws Exception {
        try (Broker broker = Broker.with(everyQueue())) {
            // 300 + 150 on two queues, one browser: 400 in all
            assertEquals(400, broker.store().list(DeadLetterQuery.ALL).size());
        }
    }

    @Test
    void aDeadLetterPolicyWithALargerMaxBrowsePageSizeShowsAndReplaysThemAll() throws Exception {
        PolicyEntry deadLetters = new PolicyEntry();
        deadLetters.setQueue("DLQ.>");
        deadLetters.setMaxBrowsePageSize(100_000);
        try (Broker broker = Broker.with(everyQueue(), deadLetters)) {
            assertEquals(LETTERS, broker.store().list(DeadLetterQuery.ALL).size());
            DeadLetterStore.BulkReplay bulk = broker.store().replayAll(new DeadLetterQuery("test-flow", null, null),
                    EventRequester.adminUser("operator"));
            assertEquals(LETTERS - LETTERS / 3, bulk.replayed().size());
            assertEquals(List.of(), bulk.refused());
            assertEquals(LETTERS - LETTERS / 3, broker.dlq().drain(DlqFixture.ORIGIN_TEST).size());
            assertEquals(LETTERS / 3, broker.store().list(DeadLetterQuery.ALL).size());
        }
    }
}

package io.hookrail.store;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.hookrail.support.Await;
import io.hookrail.support.TestDatabase;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two cluster services on one database, as two instances would be: one leader per namespace, the lease moves at once
 * on a graceful stop, and a leader whose store vanishes drops leadership before the other takes the lease.
 */
class LeaseClusterServiceTest {

    static final Duration RENEW = Duration.ofMillis(200);
    static final Duration LEASE = Duration.ofMillis(1500);

    final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    /** Leadership events of both services, in order: "<instance> leads|lost <namespace>". */
    final List<String> events = new CopyOnWriteArrayList<>();

    static Stream<String> databases() {
        return Stream.of("h2", "postgres");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void oneLeaderPerNamespaceAndAGracefulStopMovesItAtOnce(String database) throws Exception {
        DataSource store = store(database);
        LeaseClusterService a = service(store, "a");
        LeaseClusterService b = service(store, "b");
        CamelClusterView[] viewsOfA = {view(a, "one"), view(a, "two")};
        CamelClusterView[] viewsOfB = {view(b, "one"), view(b, "two")};

        for (int i = 0; i < 2; i++) {
            CamelClusterView ofA = viewsOfA[i];
            CamelClusterView ofB = viewsOfB[i];
            assertTrue(Await.until(() -> knownLeader(ofA).isPresent() && knownLeader(ofA).equals(knownLeader(ofB))),
                    "no agreed leader of " + ofA.getNamespace());
            assertTrue(ofA.getLocalMember().isLeader() != ofB.getLocalMember().isLeader(), "exactly one leads");
        }
        assertEquals(a.holders(), b.holders());

        LeaseClusterService leader = viewsOfA[0].getLocalMember().isLeader() ? a : b;
        CamelClusterView other = leader == a ? viewsOfB[0] : viewsOfA[0];
        long stoppedAt = System.nanoTime();
        leader.stop();
        // released, not expired: the other takes it at its next renewal, well within the lease
        assertTrue(Await.until(LEASE, () -> other.getLocalMember().isLeader()), "the other did not take over");
        assertTrue(System.nanoTime() - stoppedAt < LEASE.toNanos());
        assertEquals(Optional.of(other.getClusterService().getId()), knownLeader(other));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aLeaderWhoseStoreVanishesStepsDownBeforeTheOtherTakesOver(String database) throws Exception {
        DataSource store = store(database);
        Switch vanishing = new Switch();
        LeaseClusterService a = service(vanishing.over(store), "a");
        CamelClusterView ofA = view(a, "job");
        assertTrue(Await.until(() -> ofA.getLocalMember().isLeader()), "a did not lead");
        LeaseClusterService b = service(store, "b");
        CamelClusterView ofB = view(b, "job");
        assertTrue(Await.until(() -> knownLeader(ofB).equals(Optional.of("a"))), "b does not see a lead");
        assertFalse(ofB.getLocalMember().isLeader());

        vanishing.off = true;
        assertTrue(Await.until(() -> ofB.getLocalMember().isLeader()), "b did not take over");
        assertFalse(ofA.getLocalMember().isLeader());
        // a stepped down first: its lost event comes before b's leads event
        List<String> order = events.stream().filter(e -> !e.equals("a leads job")).toList();
        assertEquals(List.of("a lost job", "b leads job"), order, events.toString());
        assertEquals(Optional.empty(), a.holders().get("job"), "a cannot know the holder without its store");

        // the store back: a sees b hold the lease, and does not take it back
        vanishing.off = false;
        assertTrue(Await.until(() -> knownLeader(ofA).equals(Optional.of("b"))), "a does not see b lead");
        assertTrue(ofB.getLocalMember().isLeader());
    }

    static Optional<String> knownLeader(CamelClusterView view) {
        return view.getLeader().map(member -> member.getId());
    }

    DataSource store(String database) {
        HikariDataSource pool = new HikariDataSource();
        if (database.equals("postgres")) {
            TestDatabase postgres = TestDatabase.freshPostgres();
            opened.add(postgres);
            pool.setJdbcUrl(postgres.jdbcUrl());
        } else {
            pool.setJdbcUrl("jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        }
        pool.setMaximumPoolSize(4);
        pool.setConnectionTimeout(1000);
        opened.add(pool);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return pool;
    }

    LeaseClusterService service(DataSource store, String id) throws Exception {
        CamelContext context = new DefaultCamelContext();
        LeaseClusterService service = new LeaseClusterService(store, id, RENEW, LEASE);
        context.addService(service, true, true);
        context.start();
        opened.add(context::stop);
        return service;
    }

    CamelClusterView view(LeaseClusterService service, String namespace) throws Exception {
        CamelClusterView view = service.getView(namespace);
        view.addEventListener((CamelClusterEventListener.Leadership) (changed, leader) -> {
            String event = changed.getLocalMember().isLeader() ? "leads" : "lost";
            String key = service.getId() + " " + event + " " + namespace;
            boolean wasLeading = events.stream().filter(e -> e.startsWith(service.getId() + " ")
                    && e.endsWith(" " + namespace)).reduce((first, second) -> second)
                    .map(last -> last.contains(" leads ")).orElse(false);
            if (wasLeading != changed.getLocalMember().isLeader()) {
                events.add(key);
            }
        });
        return view;
    }

    /** A data source that can be made to fail every connection, as a store gone away would. */
    static final class Switch {
        volatile boolean off;

        DataSource over(DataSource store) {
            return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (off && method.getName().equals("getConnection")) {
                            throw new SQLException("store gone", "08001");
                        }
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}

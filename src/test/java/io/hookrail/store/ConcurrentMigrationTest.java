package io.hookrail.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookrail.support.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instances starting at once on one fresh PostgreSQL both migrate it: both start, and each migration is applied once.
 * (An embedded H2 file is one process's alone, so this is PostgreSQL's case only.)
 */
class ConcurrentMigrationTest {

    private static final int INSTANCES = 2;

    @Test
    void twoInstancesMigratingAFreshDatabaseAtOnceBothSucceedAndApplyEachVersionOnce() throws Exception {
        try (TestDatabase database = TestDatabase.freshPostgres()) {
            List<HikariDataSource> pools = new ArrayList<>();
            ExecutorService starts = Executors.newFixedThreadPool(INSTANCES);
            try {
                CountDownLatch together = new CountDownLatch(1);
                List<Future<?>> migrations = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    HikariDataSource pool = pool(database, "instance-" + i);
                    pools.add(pool);
                    migrations.add(starts.submit(() -> {
                        together.await();
                        StoreConfiguration.migrate(pool);
                        return null;
                    }));
                }
                together.countDown();
                for (Future<?> migration : migrations) {
                    migration.get(2, TimeUnit.MINUTES);
                }

                try (Connection connection = pools.get(0).getConnection();
                     Statement statement = connection.createStatement()) {
                    List<String> versions = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery("SELECT version, success FROM flyway_schema_history "
                            + "WHERE version IS NOT NULL ORDER BY installed_rank")) {
                        while (rows.next()) {
                            assertTrue(rows.getBoolean(2), "version " + rows.getString(1) + " failed");
                            versions.add(rows.getString(1));
                        }
                    }
                    assertEquals(versions.stream().distinct().toList(), versions, "a version applied twice");
                    assertEquals(migrationScripts(), versions.size(), versions.toString());
                    for (int v = 1; v <= versions.size(); v++) {
                        assertEquals(String.valueOf(v), versions.get(v - 1));
                    }
                }
            } finally {
                starts.shutdownNow();
                pools.forEach(HikariDataSource::close);
            }
        }
    }

    /** How many V*.sql scripts the application has. */
    private static int migrationScripts() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return (int) files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
    }

    private static HikariDataSource pool(TestDatabase database, String name) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(database.jdbcUrl());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }
}

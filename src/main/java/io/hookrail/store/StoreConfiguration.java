package io.hookrail.store;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.flywaydb.core.Flyway;

/**
 * Binds the one pooled {@code dataSource} of Hookrail: an embedded H2 file under the data directory by default,
 * PostgreSQL (or any JDBC URL) when {@code hookrail.db.url} is set. Flyway migrates its schema before any route
 * starts, with the same scripts for both databases.
 */
@Configuration
public class StoreConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.db.url", defaultValue = "")
    private String url;
    @PropertyInject(value = "hookrail.db.username", defaultValue = "")
    private String username;
    @PropertyInject(value = "hookrail.db.password", defaultValue = "")
    private String password;
    @PropertyInject(value = "hookrail.db.poolSize", defaultValue = "16")
    private int poolSize;
    @PropertyInject(value = "hookrail.db.connectionTimeoutMillis", defaultValue = "3000")
    private long connectionTimeoutMillis;
    @PropertyInject(value = "hookrail.data.dir", defaultValue = "data")
    private String dataDir;

    @BindToRegistry(destroyMethod = "close")
    public HikariDataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setPoolName("hookrail-store");
        config.setJdbcUrl(url.isBlank() ? embeddedUrl() : url);
        if (!username.isBlank()) {
            config.setUsername(username);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        // a store that cannot hand out a connection quickly makes the webhook answer 503, not hang
        config.setConnectionTimeout(connectionTimeoutMillis);
        HikariDataSource dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    @Override
    public void configure(CamelContext context) {
        // runs after the @BindToRegistry methods, so the data source is bound by now
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        context.getRegistry().bind("storeHealthCheck", new StoreHealthCheck(dataSource));
    }

    private String embeddedUrl() {
        Path file = Path.of(dataDir).toAbsolutePath().resolve("store").resolve("hookrail");
        // Hikari closes the database on shutdown, not a JVM hook racing the last in-flight request;
        // WRITE_DELAY=0: a commit reaches the file at once, so a killed process loses nothing it committed
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0";
    }
}

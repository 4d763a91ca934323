package io.hookrail.store;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hookrail.ops.InstanceIdentity;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.flywaydb.core.Flyway;

/**
 * Binds the pooled {@code dataSource} of Hookrail: an embedded H2 file under the data directory by default,
 * PostgreSQL (or any JDBC URL) when {@code hookrail.db.url} is set. Flyway migrates its schema before any route
 * starts, with the same scripts for both databases. The webhook gateway gets a small pool of its own to the same
 * database ({@link IngestPool}). The singleton jobs ({@code master:} routes) run where this store's lease says
 * ({@link LeaseClusterService}).
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
    @PropertyInject(value = "hookrail.db.ingestPoolSize", defaultValue = "4")
    private int ingestPoolSize;
    @PropertyInject(value = "hookrail.db.connectionTimeoutMillis", defaultValue = "3000")
    private long connectionTimeoutMillis;
    @PropertyInject(value = "hookrail.data.dir", defaultValue = "data")
    private String dataDir;
    @PropertyInject(value = "hookrail.cluster.renewMillis", defaultValue = "2000")
    private long clusterRenewMillis;
    @PropertyInject(value = "hookrail.cluster.lease", defaultValue = "PT10S")
    private String clusterLease;

    @BindToRegistry(destroyMethod = "close")
    public HikariDataSource dataSource() {
        HikariDataSource dataSource = pool("hookrail-store", poolSize);
        migrate(dataSource);
        return dataSource;
    }

    /**
     * Brings the schema up to date. Instances starting at once on one PostgreSQL serialise here: Flyway holds an
     * advisory lock on the database while it migrates, so the second one finds the versions applied and does nothing.
     * An H2 file belongs to one process (its file lock), so an embedded store never has two instances migrating it.
     */
    static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // runs after the @BindToRegistry methods, so the data source is bound (and the schema migrated) by now
        DataSource dataSource = context.getRegistry().lookupByNameAndType("dataSource", DataSource.class);
        context.getRegistry().bind("storeHealthCheck", new StoreHealthCheck(dataSource));
        IngestPool ingest = new IngestPool(pool("hookrail-ingest", ingestPoolSize));
        context.getRegistry().bind(IngestPool.BEAN, ingest);
        context.addService(ingest, true, true);
        // the master: component finds its cluster service among the context's services (ClusterServiceHelper)
        InstanceIdentity identity = context.getRegistry().lookupByNameAndType(InstanceIdentity.BEAN, InstanceIdentity.class);
        LeaseClusterService cluster = new LeaseClusterService(dataSource, identity.id(),
                Duration.ofMillis(clusterRenewMillis), Duration.parse(clusterLease));
        context.addService(cluster, true, true);
        context.getRegistry().bind("singletonHealthCheck", new SingletonHealthCheck(cluster));
    }

    private HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url.isBlank() ? embeddedUrl() : url);
        if (!username.isBlank()) {
            config.setUsername(username);
            config.setPassword(password);
        }
        config.setMaximumPoolSize(size);
        // a store that cannot hand out a connection quickly makes the webhook answer 503, not hang
        config.setConnectionTimeout(connectionTimeoutMillis);
        return new HikariDataSource(config);
    }

    private String embeddedUrl() {
        Path file = Path.of(dataDir).toAbsolutePath().resolve("store").resolve("hookrail");
        // Hikari closes the database on shutdown, not a JVM hook racing the last in-flight request;
        // WRITE_DELAY=0: a commit reaches the file at once, so a killed process loses nothing it committed;
        // QUERY_CACHE_SIZE: each connection keeps its parsed statements (H2 keeps 8, fewer than a flow run uses)
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;WRITE_DELAY=0;QUERY_CACHE_SIZE=128";
    }
}

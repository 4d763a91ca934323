package io.hookrail.store;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The webhook gateway's own connections to the store (bean {@value #BEAN}, {@code hookrail.db.ingestPoolSize}), apart
 * from the shared {@code dataSource} of flows, audit, timeline and admin: neither side can starve the other. Its batch
 * writer needs one connection at a time. Not bound as a {@link DataSource}, so that lookups by type still find the one
 * shared pool.
 */
public final class IngestPool extends ServiceSupport {

    /** The registry name of the bean. */
    public static final String BEAN = "ingestPool";

    private final HikariDataSource dataSource;

    IngestPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected void doStop() {
        dataSource.close();
    }
}

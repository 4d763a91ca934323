package io.hookrail.privacy;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.PropertyInject;
import org.apache.camel.builder.RouteBuilder;

/** Runs the {@link RetentionPurge} every {@code hookrail.retention.purgeIntervalMillis}, like the timeline's purge. */
public class RetentionRoutes extends RouteBuilder {

    @BeanInject
    private DataSource dataSource;
    @PropertyInject(value = "hookrail.retention.approvals", defaultValue = "P90D")
    private String approvals;
    @PropertyInject(value = "hookrail.retention.stepJournal", defaultValue = "P30D")
    private String stepJournal;
    @PropertyInject(value = "hookrail.retention.purgeIntervalMillis", defaultValue = "3600000")
    private long purgeIntervalMillis;

    @Override
    public void configure() {
        RetentionPurge purge = new RetentionPurge(dataSource, Clock.systemUTC(), Duration.parse(approvals),
                Duration.parse(stepJournal));
        // singleton (ADR 9): one instance at a time
        from("master:retention-purge:timer:retention-purge?delay=" + Math.min(purgeIntervalMillis, 60_000)
                + "&period=" + purgeIntervalMillis)
                .routeId("retention-purge")
                .process(exchange -> {
                    RetentionPurge.Purged purged = purge.purge();
                    if (purged.total() > 0) {
                        log.info("Past their retention: {} approvals, {} step journal rows, {} saga attempts purged",
                                purged.approvals(), purged.journalRows(), purged.attempts());
                    }
                });
    }
}

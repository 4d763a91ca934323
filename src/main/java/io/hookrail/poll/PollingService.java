package io.hookrail.poll;

import java.sql.SQLException;

import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

/** The polling sources over JMX (Hawtio, through Jolokia): what {@code /api/sources/{name}} shows and re-runs. */
@ManagedResource(description = "Polling sources: their watermarks, and re-runs of a window from an earlier watermark")
public final class PollingService extends ServiceSupport implements StaticService {

    private final PollingSources sources;
    private final PollingApi api;

    PollingService(PollingSources sources, PollingApi api) {
        this.sources = sources;
        this.api = api;
    }

    @ManagedOperation(description = "The polling source's watermark, last poll and schedule (JSON)")
    public String status(String source) throws SQLException {
        return api.status(sources.find(source.trim())
                .orElseThrow(() -> new IllegalArgumentException("no polling source " + source))).toString();
    }

    @ManagedOperation(description = "Re-runs a polling source from an earlier watermark (parameters: source, from;"
            + " from empty: from the beginning): what was admitted before is counted as duplicate, not published again")
    public String rerun(String source, String from) throws SQLException {
        PollingSource found = sources.find(source.trim())
                .orElseThrow(() -> new IllegalArgumentException("no polling source " + source));
        String watermark = from == null || from.isBlank() ? null : from.trim();
        sources.rerun(found, watermark);
        return "re-run of " + found.name() + " from " + (watermark == null ? "the beginning" : watermark)
                + " requested";
    }
}

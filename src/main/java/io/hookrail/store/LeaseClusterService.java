package io.hookrail.store;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

import javax.sql.DataSource;

import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's cluster SPI over Hookrail's store: the {@code master:<namespace>:...} consumers run on the one instance
 * that holds the namespace's lease in {@code cluster_lease} (ADR 9). Camel has no JDBC cluster service; the store is
 * the one thing every deployment of several instances already shares.
 */
public final class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterView> {

    private final Map<String, LeaseClusterView> views = new ConcurrentHashMap<>();
    private final StoreLeases leases;
    private final Duration renewPeriod;
    private final Duration renewDeadline;
    private ScheduledExecutorService renewals;
    private ScheduledExecutorService watchdogs;

    /**
     * @param instanceId  this instance's identity, the lease holder it writes
     * @param renewPeriod how often each namespace's lease is taken or renewed
     * @param lease       how long a lease lasts after its last renewal; more than twice the renew period
     */
    public LeaseClusterService(DataSource dataSource, String instanceId, Duration renewPeriod, Duration lease) {
        super(instanceId);
        if (lease.compareTo(renewPeriod.multipliedBy(2)) <= 0) {
            throw new IllegalArgumentException("hookrail.cluster.lease (" + lease + ") must be more than twice "
                    + "hookrail.cluster.renewMillis (" + renewPeriod.toMillis() + " ms)");
        }
        this.renewPeriod = renewPeriod;
        // leadership ends one renew period before the lease could: time for the job to stop, and for clock drift
        this.renewDeadline = lease.minus(renewPeriod);
        this.leases = new StoreLeases(dataSource, lease, renewPeriod);
    }

    /** Per namespace this instance runs singletons of now, who holds it: empty when nobody or not known. */
    public Map<String, Optional<String>> holders() {
        Map<String, Optional<String>> holders = new TreeMap<>();
        // the views themselves, not getView(): that counts a reference, and would start a view nobody uses any more
        views.forEach((namespace, view) -> {
            if (view.isStarted()) {
                holders.put(namespace, view.holder());
            }
        });
        return holders;
    }

    @Override
    protected LeaseClusterView createView(String namespace) {
        return views.computeIfAbsent(namespace, name -> new LeaseClusterView(this, name));
    }

    @Override
    protected void doStart() throws Exception {
        // renewals and the deadline watchdog apart: a renewal stuck on the store must not hold back the watchdog
        ExecutorServiceManager executors = getCamelContext().getExecutorServiceManager();
        renewals = executors.newSingleThreadScheduledExecutor(this, "LeaseRenewal");
        watchdogs = executors.newSingleThreadScheduledExecutor(this, "LeaseDeadline");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        try {
            super.doStop(); // releases the leases held, so a graceful stop moves the singletons at once
        } finally {
            getCamelContext().getExecutorServiceManager().shutdown(renewals);
            getCamelContext().getExecutorServiceManager().shutdown(watchdogs);
        }
    }

    StoreLeases leases() {
        return leases;
    }

    Duration renewPeriod() {
        return renewPeriod;
    }

    Duration renewDeadline() {
        return renewDeadline;
    }

    ScheduledExecutorService renewals() {
        return renewals;
    }

    ScheduledExecutorService watchdogs() {
        return watchdogs;
    }
}

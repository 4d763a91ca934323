package io.hookrail.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One singleton namespace as this instance sees it: every renewal period it takes or renews the namespace's lease
 * ({@link StoreLeases}), and tells the {@code master:} consumers when it becomes or stops being the leader.
 * <p>
 * A renewal is trusted for the renew deadline from the moment it was <em>sent</em> (the database set the lease's end
 * no earlier than that, so the lease outlives the deadline by at least lease minus deadline). When no renewal has
 * succeeded within the deadline (store down or slow), a watchdog drops leadership, before any other instance could
 * see the lease expired. Only durations of this JVM's monotonic clock ({@link System#nanoTime()}) are used here.
 */
final class LeaseClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterView.class);

    private final LeaseClusterService service;
    private final CamelClusterMember local = new Member(true);
    private final CamelClusterMember remote = new Member(false);
    private volatile boolean leader;
    private volatile String holder;
    private volatile boolean storeFailing;
    private long trustedUntilNanos;
    private ScheduledFuture<?> renewal;
    private ScheduledFuture<?> watchdog;

    LeaseClusterView(LeaseClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return leader ? Optional.of(local) : holder == null ? Optional.empty() : Optional.of(remote);
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        // only the holder is known: instances that do not hold a lease leave no trace in the store
        List<CamelClusterMember> members = new ArrayList<>(List.of(local));
        if (!leader && holder != null) {
            members.add(remote);
        }
        return members;
    }

    /** Who holds the lease, as of this instance's last renewal: empty when nobody or not known (store failing). */
    Optional<String> holder() {
        return Optional.ofNullable(leader ? service.getId() : holder);
    }

    @Override
    protected synchronized void doStart() {
        long period = service.renewPeriod().toMillis();
        long check = Math.max(1, period / 4);
        renewal = service.renewals().scheduleWithFixedDelay(() -> guarded(this::renew), 0, period,
                TimeUnit.MILLISECONDS);
        watchdog = service.watchdogs().scheduleWithFixedDelay(() -> guarded(this::checkDeadline), check, check,
                TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        synchronized (this) {
            renewal.cancel(false);
            watchdog.cancel(false);
            change(false, null);
        }
        try {
            // a renewal in flight may take the lease after we looked: wait for it (outside our lock, which it takes),
            // then end whatever lease is ours
            service.renewals().submit(() -> { }).get(service.renewPeriod().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Singleton {}: renewal still running at stop: {}", getNamespace(), e.getMessage());
        }
        try {
            if (service.leases().release(getNamespace(), service.getId())) {
                LOG.info("Released the lease of singleton {}", getNamespace());
            }
        } catch (Exception e) {
            LOG.warn("Could not release the lease of singleton {} (it expires on its own): {}", getNamespace(),
                    e.getMessage());
        }
    }

    /** A scheduled task that throws is never run again: log instead. */
    private void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("Singleton {}: {}", getNamespace(), e.getMessage(), e);
        }
    }

    private void renew() {
        long sentAt = System.nanoTime();
        Optional<String> current;
        try {
            current = service.leases().takeOrRenew(getNamespace(), service.getId());
        } catch (Exception e) {
            if (!storeFailing) {
                LOG.warn("Cannot renew the lease of singleton {}: {}", getNamespace(), e.getMessage());
            }
            storeFailing = true;
            synchronized (this) {
                if (isRunAllowed() && !leader) {
                    change(false, null); // nothing known about the holder while the store fails
                }
            }
            return;
        }
        storeFailing = false;
        synchronized (this) {
            if (!isRunAllowed()) {
                return; // stopping: doStop decides
            }
            boolean ours = current.filter(service.getId()::equals).isPresent();
            long until = sentAt + service.renewDeadline().toNanos();
            if (ours && until - System.nanoTime() > 0) {
                trustedUntilNanos = until;
                change(true, null);
            } else {
                // a renewal back after the deadline proves nothing for the deadline to come: wait for the next
                change(false, ours ? null : current.orElse(null));
            }
        }
    }

    private synchronized void checkDeadline() {
        if (leader && trustedUntilNanos - System.nanoTime() <= 0) {
            LOG.warn("No renewal of the lease of singleton {} within {}: leadership dropped", getNamespace(),
                    service.renewDeadline());
            change(false, null);
        }
    }

    /** Sets the state and tells the listeners when leadership or the known holder changed. Holds this view's lock. */
    private void change(boolean nowLeader, String otherHolder) {
        boolean changed = nowLeader != leader || !Objects.equals(otherHolder, holder);
        if (nowLeader != leader) {
            LOG.info("{} singleton {}", nowLeader ? "Leading" : "No longer leading", getNamespace());
        }
        leader = nowLeader;
        holder = otherHolder;
        if (changed) {
            // listeners (the master consumers) read getLocalMember()/getLeader() only: volatile, no lock of ours
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }
    }

    private final class Member implements CamelClusterMember {
        private final boolean isLocal;

        Member(boolean isLocal) {
            this.isLocal = isLocal;
        }

        @Override
        public boolean isLeader() {
            return isLocal ? leader : !leader && holder != null;
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }

        @Override
        public String getId() {
            return isLocal ? service.getId() : Objects.requireNonNullElse(holder, "");
        }
    }
}

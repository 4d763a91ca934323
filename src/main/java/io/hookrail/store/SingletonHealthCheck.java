package io.hookrail.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness that never fails: holding no singleton is normal. Its details say which instance runs each singleton job
 * ({@code singleton.<namespace>: <holder>}, {@code none} when nobody holds it or the store cannot say) and who this
 * instance is ({@code instance}), so an operator reading one instance's readiness sees where the jobs run. Camel's
 * management server shows details with {@code /observe/health/ready?data=true}; the message, always, names the
 * singletons this instance runs.
 */
public final class SingletonHealthCheck extends AbstractHealthCheck {

    private final LeaseClusterService cluster;

    public SingletonHealthCheck(LeaseClusterService cluster) {
        super("hookrail", "singletons");
        this.cluster = cluster;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("instance", cluster.getId());
        List<String> held = new ArrayList<>();
        cluster.holders().forEach((namespace, holder) -> {
            builder.detail("singleton." + namespace, holder.orElse("none"));
            holder.filter(cluster.getId()::equals).ifPresent(ours -> held.add(namespace));
        });
        // the message shows without ?data=true, the details with it
        builder.message("instance " + cluster.getId() + " runs "
                + (held.isEmpty() ? "no singleton" : String.join(", ", held)));
        builder.up();
    }
}

package io.hookrail.approval;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.hookrail.audit.AuditTrail;
import io.hookrail.flow.FlowIdempotencyRepository;
import io.hookrail.flow.FlowOutcomes;
import io.hookrail.ops.timeline.EventTimeline;
import io.hookrail.policy.OrderFacts;
import io.hookrail.policy.PolicyEngine;
import io.hookrail.privacy.PersonalData;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/**
 * Binds {@code approvalStore} and the flows' {@code approvalGate}; lazy, as they need the store. The store's
 * {@link PendingApprovals} MBean is added to the Camel context as a service when the store is made, so JMX shows it.
 */
@Configuration
public class ApprovalConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.approval.expiry", defaultValue = "PT72H")
    private String expiry;

    @BindToRegistry(lazy = true)
    public ApprovalStore approvalStore(CamelContext context, @BeanInject DataSource dataSource,
                                       @BeanInject(PersonalData.BEAN) PersonalData personalData) throws Exception {
        ApprovalStore store = new ApprovalStore(dataSource, Clock.systemUTC(), Duration.parse(expiry), personalData);
        context.addService(new PendingApprovals(store, Clock.systemUTC()));
        return store;
    }

    @BindToRegistry(lazy = true)
    public ApprovalGate approvalGate(@BeanInject PolicyEngine policy, @BeanInject ApprovalStore approvals,
                                     @BeanInject FlowIdempotencyRepository keys, @BeanInject OrderFacts orders,
                                     @BeanInject(AuditTrail.BEAN) AuditTrail audit,
                                     @BeanInject(FlowOutcomes.BEAN) FlowOutcomes outcomes,
                                     @BeanInject(EventTimeline.BEAN) EventTimeline timeline,
                                     @BeanInject(PersonalData.BEAN) PersonalData personalData) {
        return new ApprovalGate(policy, approvals, keys, orders, audit, outcomes, timeline, personalData);
    }
}

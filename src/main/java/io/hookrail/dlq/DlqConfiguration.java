package io.hookrail.dlq;

import java.time.Clock;

import jakarta.jms.ConnectionFactory;

import io.hookrail.audit.AuditTrail;
import io.hookrail.broker.EventSeal;
import io.hookrail.ops.timeline.EventTimeline;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/**
 * Binds {@value DeadLetterReplays#BEAN}, which the admin API replays through. It is lazy, as it needs the broker and
 * the audit trail; when it is made (the DLQ routes look it up at startup) the {@link DeadLetterQueues} MBean is added
 * to the Camel context as a service, so JMX shows it.
 */
@Configuration
public class DlqConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.dlq.replayReceiveTimeoutMillis", defaultValue = "5000")
    private long replayReceiveTimeoutMillis;

    @BindToRegistry(value = DeadLetterReplays.BEAN, lazy = true)
    public DeadLetterReplays deadLetterReplays(CamelContext context,
                                               @BeanInject("jmsConnectionFactory") ConnectionFactory connectionFactory,
                                               @BeanInject(AuditTrail.BEAN) AuditTrail audit,
                                               @BeanInject(EventTimeline.BEAN) EventTimeline timeline,
                                               @BeanInject(EventSeal.BEAN) EventSeal seal) throws Exception {
        DeadLetterReplays replays = new DeadLetterReplays(
                new DeadLetterStore(connectionFactory, replayReceiveTimeoutMillis, seal), audit, timeline,
                Clock.systemUTC());
        context.addService(new DeadLetterQueues(replays, context));
        return replays;
    }
}

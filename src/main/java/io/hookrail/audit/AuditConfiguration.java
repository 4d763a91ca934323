package io.hookrail.audit;

import java.time.Clock;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;

/**
 * Binds the {@link AuditTrail} as bean {@value AuditTrail#BEAN}. It is lazy, like the flows' store-backed beans, so
 * it is made on first lookup, after the data source exists and Flyway has migrated it. It is added to the Camel
 * context as a service, so JMX (and Hawtio, through Jolokia) shows its entry count and verify operation.
 */
@Configuration
public class AuditConfiguration implements CamelConfiguration {

    @PropertyInject(value = "hookrail.audit.batch.maxSize", defaultValue = "128")
    private int batchMaxSize;
    @PropertyInject(value = "hookrail.audit.batch.lingerMicros", defaultValue = "0")
    private long batchLingerMicros;

    @BindToRegistry(value = AuditTrail.BEAN, lazy = true)
    public AuditTrail auditTrail(CamelContext context, @BeanInject DataSource dataSource) throws Exception {
        AuditTrail trail = new AuditTrail(dataSource, Clock.systemUTC(), batchMaxSize, batchLingerMicros);
        context.addService(trail);
        return trail;
    }
}

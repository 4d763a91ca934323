package io.hookrail.ops;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/**
 * Binds {@link AdminAccess} as bean {@value AdminAccess#BEAN} from the configured admin users, for every admin route
 * to {@code @BeanInject}. A missing token or role, or an unknown role, stops startup naming the key; a published
 * demo token in use logs a warning.
 */
@Configuration
public class AdminConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        AdminTokens tokens = AdminTokens.fromProperties(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        tokens.warnAboutDemoTokens();
        context.getRegistry().bind(AdminAccess.BEAN, new AdminAccess(tokens));
    }
}

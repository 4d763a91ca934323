package io.hookrail.ops.jolokia;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;

/** Reads {@link JolokiaPolicy}'s keys (a malformed origin stops startup) and installs {@link JolokiaGuard}. */
@Configuration
public class JolokiaConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        var properties = context.getPropertiesComponent();
        JolokiaPolicy policy = new JolokiaPolicy(
                properties.resolveProperty(JolokiaPolicy.ORIGIN_KEY).orElse(JolokiaPolicy.DEFAULT_ORIGIN),
                properties.resolveProperty(JolokiaPolicy.OPERATOR_KEY).map(String::trim).map(Boolean::parseBoolean)
                        .orElse(false));
        context.addStartupListener(new JolokiaGuard(policy));
    }
}

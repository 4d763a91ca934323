package io.hookrail.policy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import javax.sql.DataSource;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@code policyEngine}, read from {@code hookrail.policy.file} at startup (a bad file stops Hookrail with the
 * file, line and problem), and the {@code orderFacts} it judges refunds by.
 */
@Configuration
public class PolicyConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyConfiguration.class);

    @PropertyInject(value = "hookrail.policy.file", defaultValue = "classpath:policies.yaml")
    private String file;

    @BindToRegistry
    public PolicyEngine policyEngine(CamelContext context) throws Exception {
        // a bare path is a file: "policies/prod.yaml" means the filesystem, as an operator expects
        String location = ResourceHelper.hasScheme(file) ? file : "file:" + file;
        String yaml;
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, location)) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PolicyEngine engine;
        try {
            engine = PolicyFile.parse(file, yaml);
        } catch (PolicyFileException e) {
            // one readable line per problem before Camel's stack trace
            LOG.error("The policy file is not valid; Hookrail does not start:\n{}", e.getMessage());
            throw e;
        }
        LOG.info("Policy {} version {} loaded", file, engine.version());
        return engine;
    }

    @BindToRegistry(lazy = true)
    public OrderFacts orderFacts(@BeanInject DataSource dataSource) {
        return new OrderFacts(dataSource, Clock.systemUTC());
    }
}

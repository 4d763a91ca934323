package io.hookrail.ops.profile;

import java.util.List;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks the profile before anything listens: a refused configuration stops Hookrail with every problem named. */
@Configuration
public class ProfileConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileConfiguration.class);

    @Override
    public void configure(CamelContext context) {
        List<String> problems = ProfileCheck.problems(key ->
                context.getPropertiesComponent().resolveProperty(key).orElse(null));
        String profile = context.getPropertiesComponent().resolveProperty(ProfileCheck.KEY).orElse(ProfileCheck.DEMO);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Hookrail refuses to start in the " + profile + " profile:\n  - "
                    + String.join("\n  - ", problems));
        }
        LOG.info("Profile {}", profile);
    }
}

package io.hookrail.ingest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.hookrail.ingest.signature.GitHubScheme;
import io.hookrail.ingest.signature.SignatureScheme;
import io.hookrail.ingest.signature.SignatureSchemes;
import io.hookrail.ops.profile.DemoCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook sources of {@code application.properties}: {@code hookrail.sources} names them, and each has
 * {@code hookrail.source.<name>.scheme}, {@code .secret}, {@code .secondarySecret} (the other active secret during a
 * rotation) and {@code .eventTypes} (exactly one for a {@code github} source, whose type header is unsigned). Secrets are read through Camel's properties, so
 * {@code HOOKRAIL_SOURCE_SHOP_SECRET} and friends override them from the environment.
 */
public final class WebhookSources {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSources.class);

    private final Map<String, WebhookSource> byName;

    public WebhookSources(List<WebhookSource> sources) {
        this.byName = sources.stream().collect(Collectors.toMap(WebhookSource::name, s -> s, (a, b) -> {
            throw new IllegalArgumentException("webhook source '" + a.name() + "' is configured twice");
        }, LinkedHashMap::new));
    }

    /**
     * Reads the sources from configuration.
     *
     * @param property resolves a property key to its value, or null when it is not set
     */
    public static WebhookSources fromProperties(Function<String, String> property) {
        String names = property.apply("hookrail.sources");
        if (names == null || names.isBlank()) {
            throw new IllegalArgumentException("hookrail.sources is empty: configure at least one webhook source");
        }
        List<WebhookSource> sources = split(names).stream().map(name -> {
            String prefix = "hookrail.source." + name + ".";
            String secret = required(property, prefix + "secret");
            String secondary = property.apply(prefix + "secondarySecret");
            List<String> secrets = secondary == null || secondary.isBlank() ? List.of(secret) : List.of(secret, secondary);
            SignatureScheme scheme = SignatureSchemes.byName(required(property, prefix + "scheme"));
            Set<String> eventTypes = Set.copyOf(split(required(property, prefix + "eventTypes")));
            if (GitHubScheme.NAME.equals(scheme.name()) && eventTypes.size() != 1) {
                // the type comes from the unsigned X-GitHub-Event header: with one allowed type it cannot be relabelled
                throw new IllegalArgumentException(prefix + "eventTypes must name exactly one event type for a github "
                        + "source (GitHub signs neither the event type nor an id), names " + eventTypes.size() + ": "
                        + String.join(", ", new java.util.TreeSet<>(eventTypes)));
            }
            return new WebhookSource(name, scheme, secrets, eventTypes);
        }).toList();
        return new WebhookSources(sources);
    }

    public Optional<WebhookSource> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<WebhookSource> all() {
        return List.copyOf(byName.values());
    }

    /** Logs a warning for every source that still verifies with a published demo secret. */
    public void warnAboutDemoSecrets() {
        byName.values().stream()
                .filter(source -> source.secrets().stream().anyMatch(DemoCredentials.SECRETS::contains))
                .forEach(source -> LOG.warn("Webhook source '{}' uses a published demo secret: set "
                        + "HOOKRAIL_SOURCE_{}_SECRET before production", source.name(),
                        source.name().toUpperCase().replace('-', '_')));
    }

    private static String required(Function<String, String> property, String key) {
        String value = property.apply(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
        return value.trim();
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

package io.hookrail.ingest.signature;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Looks up signature schemes by their configuration name. */
public final class SignatureSchemes {

    /** How far a signed timestamp may lie from the current time, in either direction, before it is rejected. */
    public static final Duration TOLERANCE = Duration.ofMinutes(5);

    // Schemes are stateless, so one shared instance each is enough; insertion order keeps the error message stable.
    private static final Map<String, SignatureScheme> SCHEMES = register(
            new StandardWebhooksScheme(), new GitHubScheme(), new StripeScheme());

    private SignatureSchemes() {
    }

    /**
     * Returns the scheme with the given configuration name.
     *
     * @param name "standard-webhooks", "github" or "stripe"
     * @return the scheme
     * @throws IllegalArgumentException naming the valid names when {@code name} is unknown
     */
    public static SignatureScheme byName(String name) {
        SignatureScheme scheme = name == null ? null : SCHEMES.get(name);
        if (scheme == null) {
            throw new IllegalArgumentException("unknown signature scheme '" + name + "'; valid names are "
                    + String.join(", ", SCHEMES.keySet()));
        }
        return scheme;
    }

    private static Map<String, SignatureScheme> register(SignatureScheme... schemes) {
        Map<String, SignatureScheme> byName = new LinkedHashMap<>();
        for (SignatureScheme scheme : schemes) {
            byName.put(scheme.name(), scheme);
        }
        return Collections.unmodifiableMap(byName);
    }
}

package io.hookrail.ops.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

import io.hookrail.broker.EventSeal;
import io.hookrail.ops.http.ListenerTls;
import io.hookrail.privacy.FieldKeys;

/**
 * What {@code hookrail.profile} allows. {@code demo} (the default) is the laptop: published credentials and the
 * sandbox are fine, every listener stays on loopback. {@code production} refuses to start while any published demo
 * secret or token is configured, the sandbox is on, a listener is plain HTTP on a non-loopback address, a secret
 * or token is shorter than its scheme requires, the event seal has no configured key (or a short one), the
 * embedded broker's TCP connector is open to a user without a password of {@value #MIN_SECRET_CHARS} characters,
 * or TLS client certificates are configured so that a pin would not be checked ({@link TlsRules}); every
 * problem is named, with its key.
 */
public final class ProfileCheck {

    public static final String KEY = "hookrail.profile";
    public static final String DEMO = "demo";
    public static final String PRODUCTION = "production";
    /** Standard Webhooks keys are 24 to 64 bytes (the spec's recommendation and its libraries' bounds). */
    static final int STANDARD_WEBHOOKS_MIN_BYTES = 24;
    static final int STANDARD_WEBHOOKS_MAX_BYTES = 64;
    /** Stripe and GitHub secrets, and admin tokens, are at least this many characters. */
    static final int MIN_SECRET_CHARS = 32;
    static final String SEAL_KEY = "hookrail.broker.sealKey";
    static final int MIN_SEAL_KEY_BYTES = EventSeal.MIN_KEY_BYTES;
    static final int MIN_KEY_BYTES = 32;
    static final List<String> LISTENER_HOSTS = List.of("camel.server.host", "camel.management.host");
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private ProfileCheck() {
    }

    /** The problems that stop Hookrail in its configured profile; empty when it may start. */
    public static List<String> problems(Function<String, String> property) {
        String profile = value(property, KEY, DEMO).toLowerCase(Locale.ROOT);
        List<String> problems = new ArrayList<>();
        switch (profile) {
            case DEMO -> LISTENER_HOSTS.stream().filter(key -> !isLoopback(value(property, key, "127.0.0.1")))
                    .forEach(key -> problems.add(key + " is " + value(property, key, "") + ": the demo profile listens"
                            + " on loopback only (set " + KEY + "=" + PRODUCTION + " to listen on another address)"));
            case PRODUCTION -> production(property, problems);
            default -> problems.add(KEY + " is '" + profile + "': it must be " + DEMO + " or " + PRODUCTION);
        }
        return problems;
    }

    private static void production(Function<String, String> property, List<String> problems) {
        for (String source : list(value(property, "hookrail.sources", ""))) {
            String prefix = "hookrail.source." + source + ".";
            String scheme = value(property, prefix + "scheme", "standard-webhooks");
            for (String key : List.of(prefix + "secret", prefix + "secondarySecret")) {
                String secret = value(property, key, "");
                if (!secret.isEmpty()) {
                    secretProblem(key, scheme, secret).ifPresent(problems::add);
                }
            }
        }
        for (String user : list(value(property, "hookrail.admin.users", ""))) {
            String key = "hookrail.admin.user." + user + ".token";
            String token = value(property, key, "");
            if (DemoCredentials.TOKENS.contains(token)) {
                problems.add(key + " is a published demo token: set " + variable(key));
            } else if (token.length() < MIN_SECRET_CHARS) {
                problems.add(key + " is shorter than " + MIN_SECRET_CHARS + " characters");
            }
        }
        cryptoProblems(property).forEach(problems::add);
        if (Boolean.parseBoolean(value(property, "hookrail.sandbox.enabled", "true"))) {
            problems.add("hookrail.sandbox.enabled is true: the sandbox of fake downstream systems is for the demo"
                    + " profile only");
        }
        broker(property, problems);
        for (String key : LISTENER_HOSTS) {
            String listener = key.substring(0, key.length() - ".host".length());
            if (!isLoopback(value(property, key, "127.0.0.1")) && !ListenerTls.covers(property, listener)) {
                problems.add(key + " is " + value(property, key, "") + ": plain HTTP on a non-loopback address (serve"
                        + " it over TLS: camel.ssl.enabled=true, camel.ssl.keyStore and " + listener
                        + ".useGlobalSslContextParameters=true; or listen on loopback)");
            }
        }
        TlsRules.problems(property, list(value(property, "hookrail.sources", "")), problems);
    }

    /**
     * The event seal's key is configured (one kept in the data directory is the demo's: N instances would each make
     * their own, and none would verify another's events) and long enough; the embedded broker's TCP connector lets
     * in only users with a real password.
     */
    private static void broker(Function<String, String> property, List<String> problems) {
        String sealKey = value(property, SEAL_KEY, "");
        if (sealKey.isEmpty()) {
            problems.add(SEAL_KEY + " is not set: set " + variable(SEAL_KEY) + " (base64, at least " + MIN_SEAL_KEY_BYTES
                    + " bytes), the same on every instance (a key made in the data directory is the demo's)");
        } else {
            int bytes = base64Bytes(sealKey);
            if (bytes < 0) {
                problems.add(SEAL_KEY + " is not base64");
            } else if (bytes < MIN_SEAL_KEY_BYTES) {
                problems.add(SEAL_KEY + " has " + bytes + " bytes: it needs at least " + MIN_SEAL_KEY_BYTES);
            }
        }
        boolean embedded = value(property, "hookrail.broker.url", "").isEmpty();
        if (embedded && Boolean.parseBoolean(value(property, "hookrail.broker.tcp.enabled", "false"))) {
            brokerUser(property, "hookrail.broker.tcp.", true, problems);
            brokerUser(property, "hookrail.broker.tcp.monitor.", false, problems);
        }
    }

    private static void brokerUser(Function<String, String> property, String prefix, boolean required,
                                   List<String> problems) {
        String user = value(property, prefix + "username", "");
        if (user.isEmpty() && !required) {
            return;
        }
        if (user.isEmpty()) {
            problems.add(prefix + "username is not set: the broker's TCP connector is enabled");
        }
        String key = prefix + "password";
        if (value(property, key, "").length() < MIN_SECRET_CHARS) {
            problems.add(key + " is shorter than " + MIN_SECRET_CHARS + " characters: set " + variable(key));
        }
    }

    /**
     * Personal data at rest needs keys the operator holds: field-encryption keys listed (each 32 bytes) and a
     * pseudonym key of at least 32 bytes; the demo profile's keys, made in the data directory, are not backed up.
     */
    private static List<String> cryptoProblems(Function<String, String> property) {
        List<String> problems = new java.util.ArrayList<>();
        String keys = value(property, "hookrail.crypto.keys", "");
        if (keys.isEmpty()) {
            problems.add("hookrail.crypto.keys is not set: set HOOKRAIL_CRYPTO_KEYS to <id>:<base64 of 32 bytes>, the"
                    + " keys that encrypt personal data at rest");
        } else {
            try {
                FieldKeys.parse(keys, value(property, "hookrail.crypto.activeKeyId", ""));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        String pseudonymKey = value(property, "hookrail.crypto.pseudonymKey", "");
        if (pseudonymKey.isEmpty()) {
            problems.add("hookrail.crypto.pseudonymKey is not set: set HOOKRAIL_CRYPTO_PSEUDONYMKEY to base64 of at"
                    + " least 32 bytes, the key of the audit trail's pseudonyms");
        } else if (base64Bytes(pseudonymKey) < MIN_KEY_BYTES) {
            problems.add("hookrail.crypto.pseudonymKey is not base64 of at least " + MIN_KEY_BYTES + " bytes");
        }
        return problems;
    }

    /** How many bytes the base64 text decodes to; -1 if it is not base64. */
    private static int base64Bytes(String text) {
        try {
            return Base64.getDecoder().decode(text).length;
        } catch (IllegalArgumentException notBase64) {
            return -1;
        }
    }

    private static java.util.Optional<String> secretProblem(String key, String scheme, String secret) {
        if (DemoCredentials.SECRETS.contains(secret)) {
            return java.util.Optional.of(key + " is a published demo secret: set " + variable(key));
        }
        if ("standard-webhooks".equals(scheme)) {
            int bytes = secret.startsWith("whsec_") ? base64Bytes(secret.substring(6)) : -1;
            if (bytes < 0) {
                return java.util.Optional.of(key + " is not a Standard Webhooks secret (whsec_ and base64)");
            }
            if (bytes < STANDARD_WEBHOOKS_MIN_BYTES || bytes > STANDARD_WEBHOOKS_MAX_BYTES) {
                return java.util.Optional.of(key + " has a " + bytes + "-byte key: Standard Webhooks needs "
                        + STANDARD_WEBHOOKS_MIN_BYTES + " to " + STANDARD_WEBHOOKS_MAX_BYTES + " bytes");
            }
        } else if (secret.length() < MIN_SECRET_CHARS) {
            return java.util.Optional.of(key + " is shorter than " + MIN_SECRET_CHARS + " characters");
        }
        return java.util.Optional.empty();
    }

    static boolean isLoopback(String host) {
        return LOOPBACK.contains(host.trim()) || host.trim().startsWith("127.");
    }

    /** The environment variable that sets the key, as Camel's properties component looks it up. */
    static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String value(Function<String, String> property, String key, String fallback) {
        String value = property.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static List<String> list(String names) {
        return Arrays.stream(names.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
    }
}

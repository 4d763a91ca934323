package io.hookrail.ops;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.hookrail.ops.profile.DemoCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin users of {@code application.properties}: {@code hookrail.admin.users} names them (default
 * {@value #DEFAULT_USERS}), and each has {@code hookrail.admin.user.<name>.token} and
 * {@code hookrail.admin.user.<name>.role} ({@code viewer}, {@code operator} or {@code approver}); both are required.
 * They are read through Camel's properties, so {@code HOOKRAIL_ADMIN_USER_OPERATOR_TOKEN} and friends override them
 * from the environment.
 * <p>
 * Only SHA-256 digests of the tokens are kept; a presented token is compared with every user's digest in constant
 * time, so neither its content nor its length leaks through timing.
 */
public final class AdminTokens {

    public static final String USERS_KEY = "hookrail.admin.users";
    public static final String DEFAULT_USERS = "viewer,operator,approver,approver2";

    private static final Logger LOG = LoggerFactory.getLogger(AdminTokens.class);
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** RFC 6750 b64token: what a {@code Authorization: Bearer} header can carry. */
    static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    /** An authenticated admin user. */
    public record AdminUser(String name, AdminRole role) {
    }

    private record Entry(AdminUser user, byte[] digest, boolean demo) {
    }

    private final List<Entry> entries;

    private AdminTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static String tokenKey(String user) {
        return "hookrail.admin.user." + user + ".token";
    }

    public static String roleKey(String user) {
        return "hookrail.admin.user." + user + ".role";
    }

    /** The environment variable that overrides a user's token, as Camel's properties component looks it up. */
    public static String tokenVariable(String user) {
        return tokenKey(user).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Reads the users from configuration.
     *
     * @param property resolves a property key to its value, or null when it is not set
     * @throws IllegalArgumentException naming the key that is missing or wrong
     */
    public static AdminTokens fromProperties(Function<String, String> property) {
        String names = property.apply(USERS_KEY);
        if (names == null) {
            names = DEFAULT_USERS;
        }
        Set<String> users = new LinkedHashSet<>();
        for (String name : Arrays.stream(names.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!USER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(USERS_KEY + ": '" + name
                        + "' is not a valid user name (letters, digits, '_' and '-')");
            }
            if (!users.add(name)) {
                throw new IllegalArgumentException(USERS_KEY + ": user '" + name + "' is listed twice");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(USERS_KEY + " is empty: configure at least one admin user");
        }
        List<Entry> entries = new ArrayList<>();
        for (String name : users) {
            String token = required(property, tokenKey(name));
            if (!TOKEN_SYNTAX.matcher(token).matches()) {
                // the value is never echoed: it is a secret
                throw new IllegalArgumentException(tokenKey(name) + " is not a valid bearer token (RFC 6750 "
                        + "characters: letters, digits and -._~+/ then optional '=' padding)");
            }
            String roleName = required(property, roleKey(name));
            AdminRole role;
            try {
                role = AdminRole.parse(roleName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(roleKey(name) + ": " + e.getMessage(), e);
            }
            byte[] digest = sha256(token);
            for (Entry other : entries) {
                if (MessageDigest.isEqual(other.digest(), digest)) {
                    throw new IllegalArgumentException(tokenKey(name) + " is the same token as "
                            + tokenKey(other.user().name()) + ": every admin user needs a token of their own");
                }
            }
            entries.add(new Entry(new AdminUser(name, role), digest, DemoCredentials.TOKENS.contains(token)));
        }
        return new AdminTokens(entries);
    }

    /**
     * The user a presented bearer token belongs to. Every configured digest is compared, in constant time, whether
     * or not one already matched.
     */
    public Optional<AdminUser> authenticate(String presentedToken) {
        if (presentedToken == null) {
            return Optional.empty();
        }
        byte[] presented = sha256(presentedToken);
        AdminUser found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && found == null) {
                found = entry.user();
            }
        }
        return Optional.ofNullable(found);
    }

    public List<AdminUser> users() {
        return entries.stream().map(Entry::user).toList();
    }

    /** The users whose token is one of the published demo tokens. */
    public List<String> usersWithDemoTokens() {
        return entries.stream().filter(Entry::demo).map(e -> e.user().name()).toList();
    }

    /** Logs a warning for every user that still authenticates with a published demo token. */
    public void warnAboutDemoTokens() {
        usersWithDemoTokens().forEach(user -> LOG.warn("Admin user '{}' uses a published demo token: set {} before "
                + "production", user, tokenVariable(user)));
    }

    @Override
    public String toString() {
        return "AdminTokens" + users();
    }

    private static String required(Function<String, String> property, String key) {
        String value = property.apply(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " is not set");
        }
        return value.trim();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

package io.hookrail.ops.http;

import java.util.Locale;
import java.util.function.Function;

/**
 * Whether a listener is served over TLS, read from Camel Main's own keys: the global {@code camel.ssl.*} context is
 * enabled with a key store, and the listener ({@code camel.server} or {@code camel.management}) uses it through
 * {@code useGlobalSslContextParameters}.
 */
public final class ListenerTls {

    public static final String BUSINESS = "camel.server";
    public static final String MANAGEMENT = "camel.management";

    private ListenerTls() {
    }

    /** True when the listener of {@code prefix} ({@link #BUSINESS} or {@link #MANAGEMENT}) serves HTTPS. */
    public static boolean covers(Function<String, String> property, String prefix) {
        return flag(property, "camel.ssl.enabled") && !blank(property.apply("camel.ssl.keyStore"))
                && flag(property, prefix + ".useGlobalSslContextParameters");
    }

    /** True when the business listener serves HTTPS and asks clients for a certificate (WANT or REQUIRE). */
    public static boolean asksForClientCertificates(Function<String, String> property) {
        String auth = property.apply(HttpListenerLimits.CLIENT_AUTHENTICATION);
        return covers(property, BUSINESS) && auth != null
                && !"NONE".equals(auth.trim().toUpperCase(Locale.ROOT)) && !auth.isBlank();
    }

    private static boolean flag(Function<String, String> property, String key) {
        String value = property.apply(key);
        return value != null && Boolean.parseBoolean(value.trim());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}

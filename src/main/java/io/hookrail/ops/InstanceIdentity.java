package io.hookrail.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * This instance's name among the instances sharing one store and one broker: the owner of the flow keys it holds
 * ({@code flow_idempotency.owner}), and what logs and cluster views call it.
 * <p>
 * It is {@code hookrail.instance.id} when set, else the host name and the HTTP port ({@code host:8080}): a process
 * restarted on the same host and port is the same instance, so it takes back the keys it held at once, while two
 * instances on one host (or one shared data volume) differ. It is never kept in the data directory, which several
 * instances may share.
 * <p>
 * The {@code instance-id} file earlier versions kept there is not read: keys held under that old id at an upgrade
 * are taken over after {@code hookrail.flow.keyLease}, as a dead instance's are (a delay, never a second run), and
 * reading it would bring back the shared owner of two instances on one volume.
 */
public final class InstanceIdentity {

    public static final String BEAN = "instanceIdentity";
    /** The column {@code flow_idempotency.owner} holds at most this many characters. */
    public static final int MAX_LENGTH = 64;
    /** Letters, digits and {@code . _ : -}: safe in a log line, a metric label, a JMX name part and a SQL value. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]*");
    private static final Pattern INVALID_HOST_CHARS = Pattern.compile("[^a-z0-9.-]+");

    private final String id;
    private final boolean configured;

    private InstanceIdentity(String id, boolean configured) {
        this.id = id;
        this.configured = configured;
    }

    /**
     * The identity from {@code hookrail.instance.id}, or from the host and HTTP port when that is blank.
     *
     * @throws IllegalArgumentException when the configured id is not 1 to 64 of letters, digits and {@code . _ : -}
     */
    public static InstanceIdentity resolve(String configuredId, String host, int httpPort) {
        if (configuredId != null && !configuredId.isBlank()) {
            String id = configuredId.strip();
            if (id.length() > MAX_LENGTH || !VALID.matcher(id).matches()) {
                throw new IllegalArgumentException("hookrail.instance.id (HOOKRAIL_INSTANCE_ID) must be 1 to "
                        + MAX_LENGTH + " letters, digits, '.', '_', ':' or '-', starting with a letter or digit; got '"
                        + id + "'");
            }
            return new InstanceIdentity(id, true);
        }
        String port = ":" + httpPort;
        String name = INVALID_HOST_CHARS.matcher(host == null ? "" : host.strip().toLowerCase(Locale.ROOT))
                .replaceAll("-").replaceAll("^[.-]+", "");
        if (name.isEmpty()) {
            name = "localhost";
        }
        // a long FQDN keeps its first labels: the host part is what tells instances apart
        name = name.substring(0, Math.min(name.length(), MAX_LENGTH - port.length()));
        return new InstanceIdentity(name + port, false);
    }

    /** {@link #resolve(String, String, int)} with this machine's host name. */
    public static InstanceIdentity resolve(String configuredId, int httpPort) {
        return resolve(configuredId, localHostName(), httpPort);
    }

    /**
     * The container's or machine's name: {@code HOSTNAME} when the environment has it (Docker and Kubernetes set it
     * to the container or pod name), else what the resolver says, else {@code localhost}.
     */
    static String localHostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public String id() {
        return id;
    }

    /** Whether the id came from {@code hookrail.instance.id} rather than the host and port. */
    public boolean configured() {
        return configured;
    }

    @Override
    public String toString() {
        return id;
    }
}

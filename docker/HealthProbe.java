import java.net.HttpURLConnection;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The image's HEALTHCHECK: exits 0 when Hookrail's readiness endpoint answers 200, else 1. Compiled in the build
 * stage (no curl needed in the runtime image, and no compilation at each probe). Calls loopback only. When the
 * management listener serves TLS (CAMEL_MANAGEMENT_USEGLOBALSSLCONTEXTPARAMETERS=true, as in docker/compose.yaml),
 * it asks over https and accepts the listener's certificate unchecked: it is this container's own listener on
 * 127.0.0.1, the probe sends nothing secret and only reads the status.
 */
public final class HealthProbe {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8081/observe/health/ready");
        if (!"127.0.0.1".equals(uri.getHost())) {
            throw new IllegalArgumentException("the probe calls 127.0.0.1 only: " + uri);
        }
        boolean tls = "true".equalsIgnoreCase(System.getenv("CAMEL_MANAGEMENT_USEGLOBALSSLCONTEXTPARAMETERS"));
        if (tls) {
            uri = new URI("https", null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
        }
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        if (connection instanceof HttpsURLConnection https) {
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, new TrustManager[] {new OwnListener()}, new SecureRandom());
            https.setSSLSocketFactory(ssl.getSocketFactory());
            https.setHostnameVerifier((host, session) -> "127.0.0.1".equals(host));
        }
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(3000);
        int status = connection.getResponseCode();
        System.out.println(uri + " " + status);
        System.exit(status == 200 ? 0 : 1);
    }

    /** Trusts the certificate of this container's own loopback listener. */
    private static final class OwnListener implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}

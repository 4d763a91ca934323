package io.hookrail.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.Callback;

/**
 * Hawtio on an embedded Jetty 12, on loopback, with a preset connection to a running Hookrail's Jolokia: the
 * operator's console ({@code mvn -q -Phawtio test-compile exec:java}) and the browser test's.
 * <p>
 * It serves the {@code io.hawt:hawtio-war} webapp at {@value #CONTEXT_PATH}, in its own class loader with its own
 * libraries, and at {@code /} a page that stores the connection {@value #CONNECTION} in the browser (Hawtio 4.2 keeps
 * connections in local storage and has no preset of its own) and opens Hawtio on it. Hawtio reaches Hookrail through
 * its server-side proxy, which may only call the Jolokia URL's host. It lives in test code so that neither Jetty nor
 * Hawtio ever enters {@code target/hookrail.jar}.
 * <p>
 * Hawtio is configured by system properties, set while it runs and restored on {@link #close()}: no login (a
 * loopback developer console; anyone on this machine can open it). Hawtio's own Jolokia agent, which would open the
 * console's JVM without Hookrail's access policy, is replaced by {@link NoLocalAgent}
 * ({@code hawtio-override-web.xml}).
 */
public final class HawtioConsole implements AutoCloseable {

    /** Where Hawtio is served. */
    public static final String CONTEXT_PATH = "/hawtio";
    /** The id and name of the preset connection to Hookrail. */
    public static final String CONNECTION = "hookrail";
    public static final int DEFAULT_PORT = 8090;
    public static final URI DEFAULT_JOLOKIA = URI.create("http://127.0.0.1:8081/observe/jolokia");

    private final Server server;
    private final Map<String, String> replacedProperties;
    private final int port;

    private HawtioConsole(Server server, Map<String, String> replacedProperties, int port) {
        this.server = server;
        this.replacedProperties = replacedProperties;
        this.port = port;
    }

    /** Arguments: the hawtio-war file, the port (default 8090) and Hookrail's Jolokia URL. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args[0].isBlank() || args[0].startsWith("${")) {
            throw new IllegalArgumentException("Usage: HawtioConsole <hawtio-war.war> [port] [jolokia url];"
                    + " run it as mvn -q -Phawtio test-compile exec:java");
        }
        int port = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PORT;
        URI jolokia = args.length > 2 ? URI.create(args[2]) : DEFAULT_JOLOKIA;
        HawtioConsole console = start(Path.of(args[0]), port, jolokia);
        Runtime.getRuntime().addShutdownHook(new Thread(console::close, "hawtio-stop"));
        System.out.println("Hawtio for Hookrail (" + jolokia + "): " + console.url());
        console.server.join();
    }

    /** Starts Hawtio on 127.0.0.1:port, connected to the Jolokia URL (plain http, as Hookrail serves it). */
    public static HawtioConsole start(Path war, int port, URI jolokia) throws Exception {
        if (!Files.isRegularFile(war)) {
            throw new IllegalArgumentException("No Hawtio war at " + war);
        }
        Map<String, String> replaced = setProperties(Map.of(
                "hawtio.authenticationEnabled", "false",
                // the proxy may call Hookrail's host only, not every address of this machine
                "hawtio.proxyAllowlist", jolokia.getHost(),
                "hawtio.localAddressProbing", "false",
                "hawtio.disableProxy", "false"));

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath(CONTEXT_PATH);
        hawtio.setWar(war.toString());
        hawtio.addOverrideDescriptor(HawtioConsole.class.getResource("hawtio-override-web.xml").toExternalForm());
        hawtio.setTempDirectory(Files.createTempDirectory("hawtio-").toFile());
        ContextHandler presetConnection = new ContextHandler(new PresetConnectionPage(jolokia), "/");
        server.setHandler(new ContextHandlerCollection(hawtio, presetConnection));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            restoreProperties(replaced);
            throw e;
        }
        if (hawtio.getUnavailableException() != null) {
            server.stop();
            restoreProperties(replaced);
            throw new IllegalStateException("Hawtio did not start", hawtio.getUnavailableException());
        }
        unregisterHawtioMBeans();
        return new HawtioConsole(server, replaced, connector.getLocalPort());
    }

    /**
     * Removes the MBeans Hawtio registers about itself (its RBAC registry, tree watcher...) from this JVM's platform
     * MBean server. Nothing reads them here, as its own agent is off; and where Hawtio shares a JVM with Hookrail, as
     * in tests, the console would find them through Hookrail's Jolokia and take Hookrail for a JVM with Hawtio's RBAC.
     */
    private static void unregisterHawtioMBeans() throws JMException {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : platform.queryNames(new ObjectName("hawtio:*"), null)) {
            platform.unregisterMBean(name);
        }
    }

    /** The page that presets the connection and opens Hawtio on it. */
    public String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Hawtio did not stop", e);
        } finally {
            restoreProperties(replacedProperties);
        }
    }

    private static Map<String, String> setProperties(Map<String, String> properties) {
        Map<String, String> replaced = new LinkedHashMap<>();
        properties.forEach((key, value) -> replaced.put(key, System.setProperty(key, value)));
        return replaced;
    }

    private static void restoreProperties(Map<String, String> replaced) {
        replaced.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
    }

    /** Stands in for Hawtio's own Jolokia agent at {@code /hawtio/jolokia}: refuses every request. */
    public static final class NoLocalAgent extends HttpServlet {

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.sendError(HttpServletResponse.SC_FORBIDDEN,
                    "This console has no JVM of its own to show: connect to Hookrail (" + CONNECTION + ")");
        }
    }

    /** {@code GET /}: stores the connection in the browser's local storage, then opens Hawtio with it. */
    static final class PresetConnectionPage extends Handler.Abstract {

        private final String html;

        PresetConnectionPage(URI jolokia) {
            int port = jolokia.getPort() == -1 ? 80 : jolokia.getPort();
            String connection = "{\"id\":\"" + CONNECTION + "\",\"name\":\"" + CONNECTION + "\",\"scheme\":\""
                    + jolokia.getScheme() + "\",\"host\":\"" + jolokia.getHost() + "\",\"port\":" + port
                    + ",\"path\":\"" + jolokia.getPath() + "\"}";
            html = """
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>Hawtio for Hookrail</title></head>
                    <body><p>Opening Hawtio on Hookrail's Jolokia, %s</p>
                    <script>
                      const connections = JSON.parse(localStorage.getItem('connect.connections') || '{}');
                      connections['%s'] = %s;
                      localStorage.setItem('connect.connections', JSON.stringify(connections));
                      location.replace('%s/?con=%s');
                    </script></body></html>
                    """.formatted(jolokia, CONNECTION, connection, CONTEXT_PATH, CONNECTION);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"/".equals(Request.getPathInContext(request))) {
                return false;
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Content.Sink.write(response, true, html, callback);
            return true;
        }
    }
}

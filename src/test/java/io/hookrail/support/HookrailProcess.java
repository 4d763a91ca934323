package io.hookrail.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.hookrail.HookrailApplication;
import org.apache.camel.test.AvailablePortFinder;

/**
 * Hookrail as a separate operating-system process, started from the test classpath exactly as {@code java -jar} runs
 * it, so a test can send it SIGTERM or SIGKILL and start it again on the same data directory and ports.
 */
public final class HookrailProcess implements AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> properties;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int httpPort = AvailablePortFinder.getNextAvailable();
    private final int managementPort = AvailablePortFinder.getNextAvailable();
    private final int brokerPort = AvailablePortFinder.getNextAvailable();
    private Process process;
    private int starts;
    private Path log;

    public HookrailProcess(Path dataDir, Map<String, String> properties) {
        this.dataDir = dataDir;
        this.properties = new LinkedHashMap<>(properties);
    }

    /** Sets an environment variable of the process, as an operator's deployment would. */
    public HookrailProcess environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    public String brokerUrl() {
        return "tcp://127.0.0.1:" + brokerPort + "?jms.userName=" + HookrailInstance.BROKER_USER + "&jms.password=" + HookrailInstance.BROKER_PASSWORD;
    }

    /** Starts the process and waits until it reports ready. */
    public HookrailProcess start() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-Dcamel.server.host=127.0.0.1");
        command.add("-Dcamel.server.port=" + httpPort);
        command.add("-Dcamel.management.port=" + managementPort);
        command.add("-Dhookrail.broker.port=" + brokerPort);
        command.add("-Dhookrail.broker.tcp.enabled=true");
        command.add("-Dhookrail.broker.tcp.username=" + HookrailInstance.BROKER_USER);
        command.add("-Dhookrail.broker.tcp.password=" + HookrailInstance.BROKER_PASSWORD);
        command.add("-Dhookrail.data.dir=" + dataDir);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(HookrailApplication.class.getName());
        log = dataDir.resolve("hookrail-" + (++starts) + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        try {
            awaitReady(log.toFile());
        } catch (Exception e) {
            kill();
            throw e;
        }
        return this;
    }

    /** The console output of the latest start. */
    public String output() throws IOException {
        return java.nio.file.Files.readString(log);
    }

    /** SIGTERM: the graceful stop an orchestrator asks for. Waits for the process to exit. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return waitForExit();
    }

    /** SIGKILL: the process dies where it stands. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return waitForExit();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private int waitForExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Hookrail did not stop within 60 s");
        }
        return process.exitValue();
    }

    private void awaitReady(File log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/observe/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Hookrail exited during startup; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Hookrail was not ready within 60 s; see " + log);
    }
}

package io.hookrail.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.camel.test.AvailablePortFinder;

/**
 * A PostgreSQL server of the test's own, from the machine's PostgreSQL binaries, so a test can stop it under
 * Hookrail and start it again without touching the shared server other tests use. It listens on 127.0.0.1 on a free
 * port, trusts local connections, and is removed on close. As root (CI), the server runs as the {@code postgres}
 * user, since PostgreSQL refuses to run as root.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path BINARIES = Path.of("/usr/lib/postgresql");

    private final int port = AvailablePortFinder.getNextAvailable();
    private final Path bin;
    private final Path dir;
    private boolean running;

    private PostgresServer(Path bin, Path dir) {
        this.bin = bin;
        this.dir = dir;
    }

    /** Whether the machine has PostgreSQL's server binaries, which this class needs. */
    public static boolean available() {
        return binaries() != null;
    }

    /** Creates the cluster in a new temporary directory and starts it. */
    public static PostgresServer start() throws Exception {
        Path bin = binaries();
        if (bin == null) {
            throw new IllegalStateException("no PostgreSQL server binaries under " + BINARIES);
        }
        Path dir = Files.createTempDirectory("hookrail-pg-");
        PostgresServer server = new PostgresServer(bin, dir);
        if (asRoot()) {
            run(List.of("chown", "postgres", dir.toString()));
        }
        server.runAsOwner("initdb", "-D", server.data().toString(), "-U", "postgres", "-A", "trust", "--no-sync",
                "-E", "UTF8");
        server.startAgain();
        return server;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Starts the server after {@link #stop()}, on the same data and port; returns once it takes connections. */
    public void startAgain() throws Exception {
        runAsOwner("pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
        running = true;
    }

    /** Stops the server at once, as a crash or an operator's immediate shutdown would; clients lose their sessions. */
    public void stop() throws Exception {
        runAsOwner("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "-t", "60", "stop");
        running = false;
    }

    @Override
    public void close() throws Exception {
        try {
            if (running) {
                stop();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void runAsOwner(String program, String... arguments) throws Exception {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        run(command);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(90, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The newest installed version's bin directory, or null. */
    private static Path binaries() {
        if (!Files.isDirectory(BINARIES)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(BINARIES)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
                    .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .orElse(null);
        } catch (IOException e) {
            return null;
        }
    }
}

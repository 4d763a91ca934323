import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Closed-loop HTTP/1.1 load generator for the bench: C persistent keep-alive connections, each its own thread that
 * writes a pre-signed request and reads the answer (status line, headers, Content-Length or chunked body) before the
 * next. A raw-socket client rather than java.net.http: it shares the two cores with the server and must be cheap.
 * <p>
 * Every request is a Standard Webhooks delivery of examples/events/shop-order-placed-small.json with a unique
 * webhook-id and order id, signed {@code v1,base64(HMAC-SHA256(key, id.ts.body))} before the clock starts. Optional
 * mixes: {@code --duplicates 0.5} resends each accepted original once on the same connection right after its answer
 * (the same bytes: expect 200); {@code --forged 0.01} corrupts the signature of that share of originals (expect
 * 401). {@code --rate R} paces the connections to R requests/s in total and measures latency from each request's
 * intended start, so a late send counts against the server (no coordinated omission).
 * <p>
 * One JSON line per measured point on stdout (and appended to {@code --out}). Bounded in count (--max-requests) and
 * time (--seconds); loopback only.
 * <pre>
 * java -cp classes:target/hookrail.jar Load --url http://127.0.0.1:8080/webhooks/shop --system hookrail
 *      --scenario ingest --connections 8,16,32 --seconds 10 --max-requests 100000 [--warmup-seconds 5]
 * </pre>
 */
public final class Load {

    static final String DEFAULT_SECRET = "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb";

    enum Kind { ORIGINAL, DUPLICATE, FORGED }

    /** One pre-built request: its bytes, what it is, and the order it carries. */
    record Request(byte[] bytes, Kind kind, String orderId) {
    }

    /** What one point measured. */
    static final class Result {
        final String system;
        final String scenario;
        final String phase;
        final int connections;
        final double rate;
        double seconds;
        long[] latenciesNanos = new long[0];
        final Map<String, Long> statuses = new TreeMap<>();
        final Map<Kind, Map<String, Long>> statusesByKind = new LinkedHashMap<>();
        long reconnects;
        /** Status of each request by connection, in sending order (0: not sent, -1: I/O error). */
        short[][] answers;
        Request[][] requests;

        Result(String system, String scenario, String phase, int connections, double rate) {
            this.system = system;
            this.scenario = scenario;
            this.phase = phase;
            this.connections = connections;
            this.rate = rate;
        }

        long count(String status) {
            return statuses.getOrDefault(status, 0L);
        }

        long sent() {
            return latenciesNanos.length;
        }

        double percentileMillis(double p) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int index = (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1;
            return latenciesNanos[Math.max(0, Math.min(latenciesNanos.length - 1, index))] / 1e6;
        }

        /** Expected answers per kind: originals 202, duplicates 200, forged 401; "ok" or a FAIL reason. */
        String check() {
            StringBuilder problems = new StringBuilder();
            Map<Kind, String> expected = Map.of(Kind.ORIGINAL, "202", Kind.DUPLICATE, "200", Kind.FORGED, "401");
            statusesByKind.forEach((kind, byStatus) -> byStatus.forEach((status, n) -> {
                if (!status.equals(expected.get(kind))) {
                    problems.append(problems.length() == 0 ? "" : "; ").append(n).append(' ')
                            .append(kind.name().toLowerCase()).append(" answered ").append(status)
                            .append(" (expected ").append(expected.get(kind)).append(')');
                }
            }));
            return problems.length() == 0 ? "ok" : "FAIL: " + problems;
        }

        String json() {
            StringBuilder s = new StringBuilder();
            s.append('{').append(q("system")).append(':').append(q(system))
                    .append(',').append(q("scenario")).append(':').append(q(scenario))
                    .append(',').append(q("phase")).append(':').append(q(phase))
                    .append(',').append(q("connections")).append(':').append(connections)
                    .append(',').append(q("targetRate")).append(':').append(fmt(rate))
                    .append(',').append(q("seconds")).append(':').append(fmt(seconds))
                    .append(',').append(q("requests")).append(':').append(sent())
                    .append(',').append(q("requestsPerSecond")).append(':').append(fmt(sent() / seconds))
                    .append(',').append(q("accepted")).append(':').append(count("202"))
                    .append(',').append(q("acceptedPerSecond")).append(':').append(fmt(count("202") / seconds))
                    .append(',').append(q("p50Ms")).append(':').append(fmt(percentileMillis(50)))
                    .append(',').append(q("p99Ms")).append(':').append(fmt(percentileMillis(99)))
                    .append(',').append(q("p999Ms")).append(':').append(fmt(percentileMillis(99.9)))
                    .append(',').append(q("maxMs")).append(':').append(fmt(percentileMillis(100)))
                    .append(',').append(q("reconnects")).append(':').append(reconnects)
                    .append(',').append(q("statuses")).append(":{");
            String sep = "";
            for (Map.Entry<String, Long> e : statuses.entrySet()) {
                s.append(sep).append(q(e.getKey())).append(':').append(e.getValue());
                sep = ",";
            }
            s.append("},").append(q("check")).append(':').append(q(check())).append('}');
            return s.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        URI url = URI.create(opt.get("url"));
        String system = opt.getOrDefault("system", "hookrail");
        String scenario = opt.getOrDefault("scenario", "ingest");
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "10"));
        double warmup = Double.parseDouble(opt.getOrDefault("warmup-seconds", "0"));
        int maxRequests = Integer.parseInt(opt.getOrDefault("max-requests", "100000"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
        double duplicates = Double.parseDouble(opt.getOrDefault("duplicates", "0"));
        double forged = Double.parseDouble(opt.getOrDefault("forged", "0"));
        String prefix = opt.getOrDefault("order-prefix", "ORD-B" + Long.toString(System.nanoTime(), 36));
        PrintStream out = opt.containsKey("out")
                ? new PrintStream(Files.newOutputStream(Path.of(opt.get("out")),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true)
                : null;
        Requests factory = new Requests(url, opt.getOrDefault("secret", DEFAULT_SECRET),
                Path.of(opt.getOrDefault("body", "examples/events/shop-order-placed-small.json")), prefix);

        int point = 0;
        for (String c : opt.getOrDefault("connections", "16").split(",")) {
            int connections = Integer.parseInt(c.trim());
            if (warmup > 0 && point == 0) {
                emit(run(factory, url, system, scenario, "warmup", connections, warmup, maxRequests, 0,
                        duplicates, forged, point++), out);
            }
            emit(run(factory, url, system, scenario, "measure", connections, seconds, maxRequests, rate,
                    duplicates, forged, point++), out);
        }
        if (out != null) {
            out.close();
        }
    }

    static void emit(Result result, PrintStream out) {
        String line = result.json();
        System.out.println(line);
        if (out != null) {
            out.println(line);
        }
    }

    /** Builds the requests of one point (before its clock starts), then runs it. */
    static Result run(Requests factory, URI url, String system, String scenario, String phase, int connections,
                      double seconds, int maxRequests, double rate, double duplicates, double forged, int point)
            throws Exception {
        int budget = rate > 0 ? (int) Math.min(maxRequests, Math.ceil(rate * seconds * 1.05) + connections)
                : maxRequests;
        Request[][] requests = factory.build(point, connections, Math.max(1, budget / connections), duplicates,
                forged);
        Result result = new Result(system, scenario, phase, connections, rate);
        drive(url, requests, seconds, rate, result);
        return result;
    }

    /** Sends every connection's requests in order until they run out or the time is up. */
    static void drive(URI url, Request[][] requests, double seconds, double rate, Result result)
            throws InterruptedException {
        int connections = requests.length;
        long[][] latencies = new long[connections][];
        short[][] answers = new short[connections][];
        long[] reconnects = new long[connections];
        int[] sentCount = new int[connections];
        Thread[] threads = new Thread[connections];
        long start = System.nanoTime() + 50_000_000L; // every thread connected and waiting by then
        long deadline = start + (long) (seconds * 1e9);
        long intervalNanos = rate > 0 ? (long) (1e9 * connections / rate) : 0;
        for (int t = 0; t < connections; t++) {
            final int index = t;
            latencies[t] = new long[requests[t].length];
            answers[t] = new short[requests[t].length];
            threads[t] = new Thread(() -> {
                Connection connection = new Connection(url);
                try {
                    connection.open();
                } catch (IOException e) {
                    throw new IllegalStateException("cannot connect to " + url, e);
                }
                long offset = intervalNanos == 0 ? 0 : intervalNanos * index / connections;
                while (System.nanoTime() < start) {
                    LockSupport.parkNanos(start - System.nanoTime());
                }
                int i = 0;
                for (; i < requests[index].length; i++) {
                    long intended = intervalNanos == 0 ? System.nanoTime() : start + offset + i * intervalNanos;
                    if (intended >= deadline || System.nanoTime() >= deadline) {
                        break;
                    }
                    for (long wait; (wait = intended - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    short status;
                    try {
                        status = (short) connection.exchange(requests[index][i].bytes());
                    } catch (IOException e) {
                        status = -1;
                    }
                    latencies[index][i] = System.nanoTime() - intended;
                    answers[index][i] = status;
                    if (status == -1 || connection.closed) {
                        reconnects[index]++;
                        connection.reopenQuietly();
                    }
                }
                sentCount[index] = i;
                connection.close();
            }, "load-" + t);
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long end = System.nanoTime();
        // a point that ran out of requests before its deadline is measured until its last answer
        result.seconds = Math.max(1e-3, (Math.min(end, deadline) - start) / 1e9);
        int total = Arrays.stream(sentCount).sum();
        long[] all = new long[total];
        int k = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, k, sentCount[t]);
            k += sentCount[t];
            for (int i = 0; i < sentCount[t]; i++) {
                String status = answers[t][i] == -1 ? "error" : String.valueOf(answers[t][i]);
                result.statuses.merge(status, 1L, Long::sum);
                result.statusesByKind.computeIfAbsent(requests[t][i].kind(), x -> new TreeMap<>())
                        .merge(status, 1L, Long::sum);
            }
            result.reconnects += reconnects[t];
        }
        Arrays.sort(all);
        result.latenciesNanos = all;
        result.answers = answers;
        result.requests = requests;
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** Signs requests: unique webhook-id and order id per original. */
    static final class Requests {
        private final URI url;
        private final byte[] key;
        private final String template;
        private final String prefix;
        private final String head;

        Requests(URI url, String secret, Path body, String prefix) throws IOException {
            this.url = url;
            this.key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
            this.template = Files.readString(body, StandardCharsets.UTF_8).strip();
            if (!template.contains("\"ORD-10001\"")) {
                throw new IllegalArgumentException(body + " has no \"ORD-10001\" order id to replace");
            }
            this.prefix = prefix;
            this.head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                    + "\r\nContent-Type: application/json\r\n";
        }

        /** Order id of request i of connection c of point p: unique within the run. */
        String orderId(int point, int connection, int i) {
            return prefix + "-" + point + "-" + connection + "-" + i;
        }

        Request[][] build(int point, int connections, int perConnection, double duplicates, double forged)
                throws Exception {
            Request[][] all = new Request[connections][];
            long ts = System.currentTimeMillis() / 1000;
            int threads = Math.min(connections, Runtime.getRuntime().availableProcessors());
            Thread[] workers = new Thread[threads];
            Exception[] failure = new Exception[1];
            for (int w = 0; w < threads; w++) {
                final int worker = w;
                workers[w] = new Thread(() -> {
                    try {
                        Mac mac = Mac.getInstance("HmacSHA256");
                        mac.init(new SecretKeySpec(key, "HmacSHA256"));
                        for (int c = worker; c < connections; c += threads) {
                            all[c] = connection(mac, point, c, connections, perConnection, ts, duplicates, forged);
                        }
                    } catch (Exception e) {
                        failure[0] = e;
                    }
                });
                workers[w].start();
            }
            for (Thread worker : workers) {
                worker.join();
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            return all;
        }

        private Request[] connection(Mac mac, int point, int c, int connections, int count, long ts,
                                     double duplicates, double forged) {
            List<Request> list = new ArrayList<>(count);
            // deterministic mixes, spread evenly in time over all connections: original i of connection c is the
            // (i * connections + c)-th of the point, and one in 1/forged of those is forged; with duplicates d, each
            // original that is not forged is followed by d/(1-d) resends on average (0.5: one resend each)
            double duplicateDebt = 0;
            int i = 0;
            while (list.size() < count) {
                String orderId = orderId(point, c, i++);
                String body = template.replace("\"ORD-10001\"", "\"" + orderId + "\"");
                String id = "msg_" + orderId;
                long ordinal = (long) (i - 1) * connections + c;
                boolean forge = Math.floor((ordinal + 1) * forged) > Math.floor(ordinal * forged);
                byte[] signature = mac.doFinal((id + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8));
                if (forge) {
                    signature[0] ^= 0x01; // still valid base64, no longer the HMAC
                }
                byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
                byte[] headers = (head + "Content-Length: " + bodyBytes.length + "\r\nwebhook-id: " + id
                        + "\r\nwebhook-timestamp: " + ts + "\r\nwebhook-signature: v1,"
                        + Base64.getEncoder().encodeToString(signature) + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                byte[] bytes = Arrays.copyOf(headers, headers.length + bodyBytes.length);
                System.arraycopy(bodyBytes, 0, bytes, headers.length, bodyBytes.length);
                Request original = new Request(bytes, forge ? Kind.FORGED : Kind.ORIGINAL, orderId);
                list.add(original);
                if (!forge && duplicates > 0) {
                    // duplicates d of all requests: each original is resent d/(1-d) times on average
                    duplicateDebt += duplicates / (1 - duplicates);
                    while (duplicateDebt >= 1 && list.size() < count) {
                        duplicateDebt -= 1;
                        list.add(new Request(bytes, Kind.DUPLICATE, orderId));
                    }
                }
            }
            return list.toArray(Request[]::new);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** One keep-alive HTTP/1.1 connection: write a request, read its answer. */
    static final class Connection {
        private final URI url;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[16 * 1024];
        private int position;
        private int limit;
        boolean closed;

        Connection(URI url) {
            this.url = url;
        }

        void open() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
            position = 0;
            limit = 0;
            closed = false;
        }

        void reopenQuietly() {
            close();
            try {
                open();
            } catch (IOException e) {
                LockSupport.parkNanos(10_000_000L); // the next exchange fails and tries again
            }
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        /** @return the status code of the answer */
        int exchange(byte[] request) throws IOException {
            if (closed || socket == null || socket.isClosed()) {
                open();
            }
            out.write(request);
            out.flush();
            String statusLine = line();
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase().contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    skip(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            } else if (length < 0 && close) {
                while (fill()) {
                    position = limit;
                }
            }
            closed = close;
            return status;
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            while (true) {
                if (!fill()) {
                    throw new IOException("connection closed mid-answer");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int len = s.length();
                    if (len > 0 && s.charAt(len - 1) == '\r') {
                        s.setLength(len - 1);
                    }
                    return s.toString();
                }
                s.append((char) b);
            }
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                if (!fill()) {
                    throw new IOException("connection closed mid-body");
                }
                int take = (int) Math.min(n, limit - position);
                position += take;
                n -= take;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static String q(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static String fmt(double d) {
        return String.format(java.util.Locale.ROOT, "%.2f", d);
    }
}

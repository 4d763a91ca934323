import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end order-fulfilment against a Hookrail whose flows run, with the built-in sandbox as the downstream
 * systems: sends N unique signed orders (Load's client, C connections), then polls the flow's completed-runs counter
 * on the management port ({@code hookrail_flow_outcomes_total{flow="order-fulfilment",outcome="completed"}}) until
 * every accepted order is fulfilled or the drain time is up. Orders completed/s = completed / (last completion - first
 * send). Then reads the sandbox ledger and checks that every accepted order has exactly one invoice.create, one
 * payment.capture and one email.send, and that no order of this run that was not accepted has any.
 * <pre>
 * java -cp classes:target/hookrail.jar EndToEnd --base http://127.0.0.1:8080 --management http://127.0.0.1:8081
 *      --orders 2000 --connections 64 --seconds 60 --drain-seconds 120 --out results.jsonl
 * </pre>
 */
public final class EndToEnd {

    static final Pattern ENTRY = Pattern.compile(
            "\"operation\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"businessId\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern COMPLETED = Pattern.compile(
            "hookrail_flow_outcomes_total\\{[^}]*flow=\"order-fulfilment\"[^}]*outcome=\"completed\"[^}]*} ([0-9.eE+]+)");
    static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = Load.options(args);
        String base = opt.get("base");
        String management = opt.get("management");
        int orders = Integer.parseInt(opt.getOrDefault("orders", "2000"));
        int connections = Integer.parseInt(opt.getOrDefault("connections", "64"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "60"));
        double drainSeconds = Double.parseDouble(opt.getOrDefault("drain-seconds", "120"));
        String prefix = "ORD-E" + Long.toString(System.nanoTime(), 36);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        double before = completed(http, management);

        URI url = URI.create(base + "/webhooks/shop");
        Load.Requests factory = new Load.Requests(url, opt.getOrDefault("secret", Load.DEFAULT_SECRET),
                Path.of("examples/events/shop-order-placed-small.json"), prefix);
        Load.Request[][] requests = factory.build(0, connections, (orders + connections - 1) / connections, 0, 0);
        Load.Result send = new Load.Result("hookrail", "end-to-end", "measure", connections, 0);
        long start = System.nanoTime();
        Load.drive(url, requests, seconds, 0, send);
        Set<String> accepted = new HashSet<>();
        Set<String> sentOrders = new HashSet<>();
        for (int c = 0; c < requests.length; c++) {
            for (int i = 0; i < requests[c].length; i++) {
                if (send.answers[c][i] != 0) {
                    sentOrders.add(requests[c][i].orderId());
                }
                if (send.answers[c][i] == 202) {
                    accepted.add(requests[c][i].orderId());
                }
            }
        }

        long deadline = System.nanoTime() + (long) (drainSeconds * 1e9);
        double done = 0;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            double now = completed(http, management) - before;
            if (now > done) {
                done = now;
                lastChange = System.nanoTime();
            }
            if (done >= accepted.size()) {
                break;
            }
            Thread.sleep(100);
        }
        double totalSeconds = (lastChange - start) / 1e9;
        boolean drained = done >= accepted.size();

        // every accepted order fulfilled exactly once: no operation twice, none but the three, none for an order
        // that was not accepted; an order still unfinished when the drain time is up is reported apart
        Map<String, List<String>> ledger = ledger(http, base, prefix);
        List<String> expected = List.of("invoice.create", "payment.capture", "email.send");
        long exact = 0;
        long unfinished = 0;
        List<String> wrong = new ArrayList<>();
        for (String order : accepted) {
            List<String> ops = ledger.getOrDefault(order, List.of());
            boolean noRepeat = ops.stream().distinct().count() == ops.size() && expected.containsAll(ops);
            if (ops.size() == 3 && noRepeat) {
                exact++;
            } else if (noRepeat && !drained) {
                unfinished++;
            } else if (wrong.size() < 5) {
                wrong.add(order + "=" + ops);
            }
        }
        for (String order : ledger.keySet()) {
            if (!accepted.contains(order) && wrong.size() < 10) {
                wrong.add(order + " not accepted but in the ledger: " + ledger.get(order));
            }
        }
        String check;
        if (!wrong.isEmpty() || exact + unfinished != accepted.size()) {
            check = "FAIL: wrong effects " + wrong;
        } else if (unfinished > 0) {
            check = "FAIL: not drained: " + unfinished + " of " + accepted.size() + " accepted orders unfinished after "
                    + drainSeconds + " s of drain; the " + exact + " finished have exactly one invoice.create,"
                    + " payment.capture, email.send and no order has an effect twice";
        } else {
            check = "ok";
        }
        String line = String.format(java.util.Locale.ROOT,
                "{\"system\":\"hookrail\",\"scenario\":\"end-to-end\",\"phase\":\"measure\",\"connections\":%d,"
                        + "\"orders\":%d,\"sent\":%d,\"accepted\":%d,\"acceptedPerSecond\":%.2f,\"p50Ms\":%.2f,"
                        + "\"p99Ms\":%.2f,\"p999Ms\":%.2f,\"sendSeconds\":%.2f,\"completed\":%d,"
                        + "\"ordersCompletedPerSecond\":%.2f,\"completionSeconds\":%.2f,\"drained\":%b,"
                        + "\"exactlyOnce\":%d,\"statuses\":%s,\"check\":%s}",
                connections, orders, sentOrders.size(), accepted.size(), accepted.size() / send.seconds,
                send.percentileMillis(50), send.percentileMillis(99), send.percentileMillis(99.9), send.seconds,
                (long) done, done / totalSeconds, totalSeconds, drained, exact, statuses(send), Load.q(check));
        System.out.println(line);
        if (opt.containsKey("out")) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(opt.get("out")),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND), true)) {
                out.println(line);
            }
        }
    }

    static String statuses(Load.Result result) {
        StringBuilder s = new StringBuilder("{");
        result.statuses.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append(Load.q(k)).append(':').append(v));
        return s.append('}').toString();
    }

    static double completed(HttpClient http, String management) throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create(management + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = COMPLETED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** The sandbox ledger's entries of this run by order, read page by page. */
    static Map<String, List<String>> ledger(HttpClient http, String base, String prefix) throws Exception {
        Map<String, List<String>> byOrder = new HashMap<>();
        int size = 500;
        for (int page = 0; ; page++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/ledger?size=" + size
                    + "&page=" + page)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher entry = ENTRY.matcher(body);
            int entries = 0;
            while (entry.find()) {
                entries++;
                if (entry.group(2).startsWith(prefix)) {
                    byOrder.computeIfAbsent(entry.group(2), id -> new ArrayList<>()).add(entry.group(1));
                }
            }
            if (entries < size) {
                return byOrder;
            }
        }
    }
}

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * End-to-end order rate of one running Hookrail: sends N signed, unique order.placed deliveries (Standard Webhooks)
 * from C threads, then polls the sandbox ledger until every accepted order shows its three effects, and checks that
 * each has exactly invoice.create, payment.capture and email.send. Bounded in count and time; loopback only.
 * <p>
 * Run with the JDK's source launcher: {@code java bench/OrderRate.java http://127.0.0.1:8080 1000 16}. Prints one
 * JSON line.
 */
public final class OrderRate {

    static final String SHOP_SECRET = "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb";
    static final Pattern ENTRY = Pattern.compile(
            "\"operation\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"businessId\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        int orders = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        String template = new String(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("examples/events/shop-order-placed-small.json")), StandardCharsets.UTF_8);
        String run = UUID.randomUUID().toString().substring(0, 8);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        byte[] key = Base64.getDecoder().decode(SHOP_SECRET.substring("whsec_".length()));

        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Future<?>> senders = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            senders.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < orders; i = next.getAndIncrement()) {
                    String orderId = "ORD-B" + run + "-" + i;
                    String body = template.replace("\"ORD-10001\"", "\"" + orderId + "\"");
                    String id = "msg_" + UUID.randomUUID();
                    long ts = System.currentTimeMillis() / 1000;
                    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/shop"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .header("webhook-id", id)
                            .header("webhook-timestamp", String.valueOf(ts))
                            .header("webhook-signature", "v1," + sign(key, id + "." + ts + "." + body))
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 202) {
                        accepted.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> sender : senders) {
            sender.get();
        }
        pool.shutdown();
        double sendSeconds = (System.nanoTime() - start) / 1e9;

        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        Map<String, List<String>> ledger = Map.of();
        while (System.nanoTime() < deadline) {
            ledger = ledger(http, baseUrl, "ORD-B" + run + "-");
            long fulfilled = ledger.values().stream().filter(ops -> ops.contains("email.send")).count();
            if (fulfilled >= accepted.get()) {
                break;
            }
            Thread.sleep(200);
        }
        double totalSeconds = (System.nanoTime() - start) / 1e9;
        List<String> expected = List.of("invoice.create", "payment.capture", "email.send");
        long exact = ledger.values().stream().filter(expected::equals).count();
        System.out.printf("{\"orders\":%d,\"accepted\":%d,\"acceptedPerSecond\":%.1f,\"completed\":%d,"
                        + "\"ordersCompletedPerSecond\":%.1f,\"exactlyOnce\":%b,\"seconds\":%.1f}%n",
                orders, accepted.get(), accepted.get() / sendSeconds, exact, exact / totalSeconds,
                exact == accepted.get() && ledger.size() == accepted.get(), totalSeconds);
    }

    /** The sandbox ledger's entries of this run by order, read page by page (a page that is not full is the last). */
    static Map<String, List<String>> ledger(HttpClient http, String baseUrl, String prefix) throws Exception {
        Map<String, List<String>> byOrder = new HashMap<>();
        for (int page = 0; ; page++) {
            String body = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/sandbox/ledger?size=500&page=" + page))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher entry = ENTRY.matcher(body);
            int entries = 0;
            while (entry.find()) {
                entries++;
                if (entry.group(2).startsWith(prefix)) {
                    byOrder.computeIfAbsent(entry.group(2), id -> new ArrayList<>()).add(entry.group(1));
                }
            }
            if (entries < 500) {
                return byOrder;
            }
        }
    }

    static String sign(byte[] key, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bench's arithmetic and its report (Jackson from the fat jar; the plot with Java2D, no other library).
 * <ul>
 * <li>{@code max <results.jsonl> <system>}: the highest accepted/s of the system's ingest sweep points.</li>
 * <li>{@code accepted <results.jsonl> <system>}: every 202 the system answered in this run, all scenarios and
 *     phases (what must be on the broker).</li>
 * <li>{@code write <results.jsonl> <meta.properties> <RESULTS.md> <plot.png>}: appends a dated section to RESULTS.md
 *     and draws the plot of accepted/s and p99 against connections.</li>
 * </ul>
 */
public final class Report {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("hookrail", "Hookrail ingest (flows stopped)");
        NAMES.put("a", "(a) platform-http → 202");
        NAMES.put("b", "(b) platform-http → to(jms) → 202");
        NAMES.put("c", "(c) broker's own persistent send");
    }

    public static void main(String[] args) throws Exception {
        List<JsonNode> results = read(Path.of(args[1]));
        switch (args[0]) {
            case "max" -> System.out.printf(Locale.ROOT, "%.0f%n", max(sweep(results, args[2])));
            case "accepted" -> System.out.println(results.stream()
                    .filter(r -> args[2].equals(r.path("system").asText()) && r.has("statuses"))
                    .mapToLong(r -> r.path("statuses").path("202").asLong()).sum());
            case "write" -> write(results, properties(Path.of(args[2])), Path.of(args[3]), Path.of(args[4]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("{")) {
                    nodes.add(JSON.readTree(line));
                }
            }
        }
        return nodes;
    }

    static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (var in = new InputStreamReader(new FileInputStream(file.toFile()), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    /** The measured ingest (connections sweep) points of a system, by connections. */
    static List<JsonNode> sweep(List<JsonNode> results, String system) {
        return results.stream().filter(r -> system.equals(r.path("system").asText())
                        && "measure".equals(r.path("phase").asText())
                        && java.util.Set.of("ingest", "jms-send").contains(r.path("scenario").asText())
                        && r.path("targetRate").asDouble() == 0)
                .toList();
    }

    static double max(List<JsonNode> points) {
        return points.stream().mapToDouble(r -> r.path("acceptedPerSecond").asDouble()).max().orElse(0);
    }

    static JsonNode best(List<JsonNode> points) {
        return points.stream().max((x, y) -> Double.compare(x.path("acceptedPerSecond").asDouble(),
                y.path("acceptedPerSecond").asDouble())).orElse(null);
    }

    static JsonNode find(List<JsonNode> results, String system, String scenario) {
        return results.stream().filter(r -> system.equals(r.path("system").asText())
                && scenario.equals(r.path("scenario").asText())).reduce((x, y) -> y).orElse(null);
    }

    static JsonNode fixedRate(List<JsonNode> results, String system) {
        return results.stream().filter(r -> system.equals(r.path("system").asText())
                && "measure".equals(r.path("phase").asText()) && r.path("targetRate").asDouble() > 0)
                .reduce((x, y) -> y).orElse(null);
    }

    static String n(double d) {
        return d >= 100 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.1f", d);
    }

    static String ms(JsonNode r, String field) {
        return r == null ? "–" : String.format(Locale.ROOT, "%.1f ms", r.path(field).asDouble());
    }

    static String ratio(double x, double y) {
        return y <= 0 || x < 0 ? "–" : String.format(Locale.ROOT, "%.2f×", x / y);
    }

    static String statuses(JsonNode r) {
        if (r == null) {
            return "–";
        }
        StringBuilder s = new StringBuilder();
        r.path("statuses").fields().forEachRemaining(e -> s.append(s.length() == 0 ? "" : ", ")
                .append(e.getKey()).append(": ").append(e.getValue().asLong()));
        return s.toString();
    }

    static String mb(Properties meta, String key) {
        String kb = meta.getProperty(key, "");
        return kb.isBlank() ? "–" : String.format(Locale.ROOT, "%.0f MB", Long.parseLong(kb.trim()) / 1024.0);
    }

    static String check(JsonNode r) {
        if (r == null) {
            return "–";
        }
        String c = r.path("check").asText();
        return c.equals("ok") ? "ok" : "**" + c + "**";
    }

    static void write(List<JsonNode> results, Properties meta, Path resultsMd, Path png) throws IOException {
        Map<String, List<JsonNode>> sweeps = new LinkedHashMap<>();
        for (String system : NAMES.keySet()) {
            sweeps.put(system, sweep(results, system));
        }
        double hookrail = max(sweeps.get("hookrail"));
        double a = max(sweeps.get("a"));
        double b = max(sweeps.get("b"));
        double c = max(sweeps.get("c"));
        JsonNode hookrailBest = best(sweeps.get("hookrail"));
        JsonNode e2e = find(results, "hookrail", "end-to-end");
        JsonNode dup = find(results, "hookrail", "duplicates");
        JsonNode forged = find(results, "hookrail", "forged");
        JsonNode hRate = fixedRate(results, "hookrail");
        JsonNode aRate = fixedRate(results, "a");
        JsonNode bRate = fixedRate(results, "b");
        JsonNode cLoss = find(results, "c", "zero-loss");
        double e2eIngest = e2e == null ? 0 : e2e.path("acceptedPerSecond").asDouble();
        double orders = e2e == null ? 0 : e2e.path("ordersCompletedPerSecond").asDouble();

        StringBuilder md = new StringBuilder();
        md.append("\n## Bench run ").append(meta.getProperty("date")).append(", commit ")
                .append(meta.getProperty("commit")).append("\n\n");
        md.append("Machine: ").append(meta.getProperty("cores")).append(" cores, ").append(meta.getProperty("ram"))
                .append(" RAM, ").append(meta.getProperty("jdk")).append("; Camel ").append(meta.getProperty("camel"))
                .append(", ActiveMQ ").append(meta.getProperty("activemq")).append(". Command: `")
                .append(meta.getProperty("command")).append("` (").append(meta.getProperty("runSeconds"))
                .append(" s in all, build included; load average before it: ").append(meta.getProperty("loadavg"))
                .append("). Hookrail: `java -jar target/hookrail.jar`, JVM options ")
                .append(meta.getProperty("hookrailJavaOpts"))
                .append(", with the ports, a fresh data directory and the rate limits raised by -D. Closed loop,"
                        + " keep-alive HTTP/1.1, ")
                .append(meta.getProperty("pointSeconds")).append(" s per point after a warm-up; the load generator"
                        + " shares the cores with the server. Plot: [")
                .append(png.getFileName()).append("](").append(png.getFileName()).append(")\n\n");

        md.append("| figure | value | / (a) platform-http 202 | / (b) naive to(jms) | / (c) broker's own send"
                + " | issue 11 wants |\n|---|---|---|---|---|---|\n");
        md.append("| ingest only, max accepted/s").append(hookrailBest == null ? "" : " (at C="
                        + hookrailBest.path("connections").asInt() + ")").append(" | ").append(n(hookrail))
                .append(" | ").append(ratio(hookrail, a)).append(" | ").append(ratio(hookrail, b)).append(" | ")
                .append(ratio(hookrail, c)).append(" | ≥ 10× (b), ≥ 0.35× (a) |\n");
        md.append("| ingest p99 at half its max rate (paced at ").append(hRate == null ? "–"
                        : n(hRate.path("targetRate").asDouble()) + "/s, C=" + hRate.path("connections").asInt()
                        + ", latency from each request's intended start")
                .append(") | ").append(ms(hRate, "p99Ms")).append(" | (a) at half its max: ").append(ms(aRate, "p99Ms"))
                .append(" | (b) at half its max: ").append(ms(bRate, "p99Ms")).append(" | – | < 25 ms |\n");
        md.append("| ingest with flows running, accepted/s (C=").append(e2e == null ? "–"
                        : e2e.path("connections").asInt()).append(") | ").append(n(e2eIngest)).append(" | ")
                .append(ratio(e2eIngest, a)).append(" | ").append(ratio(e2eIngest, b)).append(" | ")
                .append(ratio(e2eIngest, c)).append(" | |\n");
        md.append("| order-fulfilment completed/s (").append(e2e == null ? "–" : e2e.path("completed").asLong()
                        + " orders in " + n(e2e.path("completionSeconds").asDouble()) + " s)").append(" | ")
                .append(n(orders)).append(" | ").append(ratio(orders, a)).append(" | ").append(ratio(orders, b))
                .append(" | ").append(ratio(orders, c)).append(" | ≥ 500/s; / ingest-only: ")
                .append(ratio(orders, hookrail)).append(" (≥ 0.25×) |\n");
        md.append("| every accepted order has exactly one invoice.create, payment.capture, email.send | ")
                .append(check(e2e)).append(" | | | | |\n");
        md.append("| 50 % duplicates: requests/s (statuses) | ").append(dup == null ? "–"
                        : n(dup.path("requestsPerSecond").asDouble()) + " (" + statuses(dup) + "), p99 "
                        + ms(dup, "p99Ms")).append(" | ").append(dup == null ? "" : ratio(dup.path("requestsPerSecond")
                        .asDouble(), a)).append(" | ").append(dup == null ? "" : ratio(dup.path("requestsPerSecond")
                        .asDouble(), b)).append(" | | originals 202, resends 200: ").append(check(dup)).append(" |\n");
        md.append("| 1 % forged: requests/s (statuses) | ").append(forged == null ? "–"
                        : n(forged.path("requestsPerSecond").asDouble()) + " (" + statuses(forged) + "), p99 "
                        + ms(forged, "p99Ms")).append(" | ").append(forged == null ? "" : ratio(forged
                        .path("requestsPerSecond").asDouble(), a)).append(" | ").append(forged == null ? ""
                        : ratio(forged.path("requestsPerSecond").asDouble(), b))
                .append(" | | forged 401, others 202: ").append(check(forged)).append(" |\n");
        md.append("| zero loss: 202s counted = messages on Consumer.order-fulfilment.VirtualTopic.order.placed | ")
                .append(meta.getProperty("hookrailAccepted")).append(" = ").append(meta.getProperty("hookrailOnQueue"))
                .append(": ").append(meta.getProperty("hookrailZeroLoss")).append(" | (b): ")
                .append(meta.getProperty("bAccepted")).append(" = ").append(meta.getProperty("bOnQueue")).append(": ")
                .append(meta.getProperty("bZeroLoss")).append(" | (c): ")
                .append(cLoss == null ? "–" : cLoss.path("sent").asLong() + " = " + cLoss.path("onQueue").asLong()
                        + ": " + cLoss.path("check").asText()).append(" | | equal |\n");
        md.append("| RSS under load, max VmRSS sampled / VmHWM: ingest only (baselines: VmHWM) | ").append(mb(meta, "hookrailRss"))
                .append(" / ").append(mb(meta, "hookrailHwm")).append(" | (a) ").append(mb(meta, "aHwm"))
                .append(" | (b) ").append(mb(meta, "bHwm")).append(" | (c) max sampled: ").append(mb(meta, "cRss"))
                .append(" | < 600 MB |\n");
        md.append("| RSS under load, flows running | ").append(mb(meta, "e2eRss")).append(" / ")
                .append(mb(meta, "e2eHwm")).append(" | | | | < 600 MB |\n");
        md.append("| startup: `java -jar` to /observe/health/ready 200 (flows running) | ")
                .append(meta.getProperty("e2eReadyMillis")).append(" ms | (a) ready: ")
                .append(meta.getProperty("aReadyMillis")).append(" ms | (b) ready: ")
                .append(meta.getProperty("bReadyMillis")).append(" ms | | < 3 s |\n");
        md.append("| Camel's own line (flows running) | ").append(meta.getProperty("e2eStartedIn", "–"))
                .append(" | | | | |\n");
        md.append("| ingest-only instance: ready / Camel's line | ").append(meta.getProperty("hookrailReadyMillis"))
                .append(" ms; ").append(meta.getProperty("hookrailStartedIn", "–")).append(" | | | | |\n\n");

        md.append("Connections sweep (accepted/s, p99; ratios of Hookrail's accepted/s to each baseline at the same"
                + " connections):\n\n| C | Hookrail | p50 / p99 / p99.9 | (a) | p99 | (b) | p99 | (c) | p99 |"
                + " / (a) | / (b) | / (c) |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        TreeSet<Integer> connections = new TreeSet<>();
        sweeps.values().forEach(l -> l.forEach(r -> connections.add(r.path("connections").asInt())));
        for (int conn : connections) {
            JsonNode h = at(sweeps.get("hookrail"), conn);
            JsonNode ra = at(sweeps.get("a"), conn);
            JsonNode rb = at(sweeps.get("b"), conn);
            JsonNode rc = at(sweeps.get("c"), conn);
            md.append("| ").append(conn).append(" | ").append(rate(h)).append(" | ")
                    .append(h == null ? "–" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f ms",
                            h.path("p50Ms").asDouble(), h.path("p99Ms").asDouble(), h.path("p999Ms").asDouble()))
                    .append(" | ").append(rate(ra)).append(" | ").append(ms(ra, "p99Ms"))
                    .append(" | ").append(rate(rb)).append(" | ").append(ms(rb, "p99Ms"))
                    .append(" | ").append(rate(rc)).append(" | ").append(ms(rc, "p99Ms"))
                    .append(" | ").append(ratio(v(h), v(ra))).append(" | ").append(ratio(v(h), v(rb)))
                    .append(" | ").append(ratio(v(h), v(rc))).append(" |\n");
        }
        List<String> failures = new ArrayList<>();
        for (JsonNode r : results) {
            if (r.has("check") && !r.path("check").asText().equals("ok")) {
                failures.add(r.path("system").asText() + " " + r.path("scenario").asText() + " C="
                        + r.path("connections").asText() + ": " + r.path("check").asText());
            }
        }
        for (String key : List.of("hookrailZeroLoss", "bZeroLoss")) {
            if (!"ok".equals(meta.getProperty(key))) {
                failures.add(key + ": " + meta.getProperty(key));
            }
        }
        md.append("\nNon-202 answers in the sweep: ");
        StringBuilder odd = new StringBuilder();
        sweeps.forEach((system, points) -> points.forEach(r -> {
            if (r.path("statuses").size() > 1 || !r.path("statuses").has("202")) {
                odd.append(odd.length() == 0 ? "" : "; ").append(system).append(" C=")
                        .append(r.path("connections").asInt()).append(' ').append(statuses(r));
            }
        }));
        md.append(odd.length() == 0 ? "none" : odd.toString()).append(".\n");
        md.append(failures.isEmpty() ? "All checks ok.\n" : "\n**FAIL**: " + String.join("; ", failures) + "\n");
        md.append("\n![accepted/s and p99 against connections](").append(png.getFileName()).append(")\n");
        Files.writeString(resultsMd, md.toString(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        System.out.print(md);
        plot(sweeps, png, meta.getProperty("date") + ", commit " + meta.getProperty("commit"));
    }

    static JsonNode at(List<JsonNode> points, int connections) {
        return points.stream().filter(r -> r.path("connections").asInt() == connections).findFirst().orElse(null);
    }

    static double v(JsonNode r) {
        return r == null ? -1 : r.path("acceptedPerSecond").asDouble();
    }

    static String rate(JsonNode r) {
        return r == null ? "–" : n(r.path("acceptedPerSecond").asDouble()) + "/s";
    }

    // ---------------------------------------------------------------------------------------------------------------

    static final Color[] COLORS = {new Color(0xD6, 0x27, 0x28), new Color(0x1F, 0x77, 0xB4),
            new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD)};

    /** Two panels, accepted/s and p99 against connections, log-log, one line per system. */
    static void plot(Map<String, List<JsonNode>> sweeps, Path png, String subtitle) throws IOException {
        int width = 1400;
        int height = 620;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString("Hookrail bench: " + subtitle, 30, 30);
        panel(g, sweeps, "acceptedPerSecond", "accepted/s (log)", 70, 70, 580, 420);
        panel(g, sweeps, "p99Ms", "p99 latency, ms (log)", 770, 70, 580, 420);
        // legend
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int x = 70;
        int i = 0;
        for (Map.Entry<String, String> e : NAMES.entrySet()) {
            g.setColor(COLORS[i++ % COLORS.length]);
            g.setStroke(new BasicStroke(3));
            g.drawLine(x, 580, x + 30, 580);
            g.fillOval(x + 11, 576, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString(e.getValue(), x + 38, 585);
            x += 40 + g.getFontMetrics().stringWidth(e.getValue()) + 30;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    static void panel(Graphics2D g, Map<String, List<JsonNode>> sweeps, String field, String title, int left,
                      int top, int w, int h) {
        TreeSet<Integer> xs = new TreeSet<>();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (List<JsonNode> points : sweeps.values()) {
            for (JsonNode r : points) {
                xs.add(r.path("connections").asInt());
                double y = r.path(field).asDouble();
                if (y > 0) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (xs.isEmpty() || hi == 0) {
            return;
        }
        double yMin = Math.pow(10, Math.floor(Math.log10(lo)));
        double yMax = Math.pow(10, Math.ceil(Math.log10(hi)));
        double xMin = Math.log(xs.first()) / Math.log(2);
        double xMax = Math.log(xs.last()) / Math.log(2);
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        final double fxMin = xMin;
        final double fxMax = xMax;
        java.util.function.IntToDoubleFunction px = c -> left + (Math.log(c) / Math.log(2) - fxMin)
                / (fxMax - fxMin) * w;
        java.util.function.DoubleUnaryOperator py = y -> top + h - (Math.log10(y) - Math.log10(yMin))
                / (Math.log10(yMax) - Math.log10(yMin)) * h;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        // grid and y ticks: 1, 2, 5 per decade
        for (double decade = yMin; decade < yMax * 1.001; decade *= 10) {
            for (double m : new double[] {1, 2, 5}) {
                double y = decade * m;
                if (y > yMax * 1.001) {
                    break;
                }
                int yy = (int) py.applyAsDouble(y);
                g.setColor(m == 1 ? new Color(0xCC, 0xCC, 0xCC) : new Color(0xEE, 0xEE, 0xEE));
                g.drawLine(left, yy, left + w, yy);
                g.setColor(Color.DARK_GRAY);
                String label = y >= 1 ? String.format(Locale.ROOT, "%,.0f", y) : String.format(Locale.ROOT, "%.1f", y);
                g.drawString(label, left - 8 - fm.stringWidth(label), yy + 4);
            }
        }
        for (int c : xs) {
            int xx = (int) px.applyAsDouble(c);
            g.setColor(new Color(0xEE, 0xEE, 0xEE));
            g.drawLine(xx, top, xx, top + h);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(xx, top + h, xx, top + h + 5);
            String label = String.valueOf(c);
            g.drawString(label, xx - fm.stringWidth(label) / 2, top + h + 20);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(left, top, w, h);
        g.drawString("connections (log2)", left + w / 2 - 50, top + h + 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, left, top - 10);
        int i = 0;
        for (List<JsonNode> points : sweeps.values()) {
            Color color = COLORS[i++ % COLORS.length];
            List<JsonNode> sorted = new ArrayList<>(points);
            sorted.sort((p, q) -> Integer.compare(p.path("connections").asInt(), q.path("connections").asInt()));
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            int lastX = -1;
            int lastY = -1;
            for (JsonNode r : sorted) {
                double y = r.path(field).asDouble();
                if (y <= 0) {
                    continue;
                }
                int xx = (int) px.applyAsDouble(r.path("connections").asInt());
                int yy = (int) py.applyAsDouble(y);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, xx, yy);
                }
                g.fillOval(xx - 4, yy - 4, 8, 8);
                lastX = xx;
                lastY = yy;
            }
        }
    }
}

package io.hookrail.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /observe/metrics} in the Prometheus text format, read as a real Prometheus would read it. */
public final class MetricsScrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( \\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private final String text;
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private MetricsScrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.matches()) {
                samples.put(sample.group(1) + "{" + (sample.group(3) == null ? "" : sample.group(3)) + "}",
                        Double.parseDouble(sample.group(4)));
            }
        }
    }

    public static MetricsScrape of(String managementUrl) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(managementUrl + "/observe/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("/observe/metrics answered " + response.statusCode());
            }
            return new MetricsScrape(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the samples of the metric whose labels include all of these (name=value pairs); 0 when none. */
    public double value(String metric, String... labels) {
        double sum = 0;
        for (Map.Entry<String, Double> sample : samples.entrySet()) {
            String key = sample.getKey();
            if (key.startsWith(metric + "{") && hasLabels(key.substring(metric.length() + 1, key.length() - 1), labels)) {
                sum += sample.getValue();
            }
        }
        return sum;
    }

    /** Whether any sample of the metric exists. */
    public boolean has(String metric) {
        return samples.keySet().stream().anyMatch(key -> key.startsWith(metric + "{"));
    }

    public String text() {
        return text;
    }

    private static boolean hasLabels(String labelText, String... wanted) {
        Map<String, String> labels = new LinkedHashMap<>();
        Matcher label = LABEL.matcher(labelText);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        for (int i = 0; i < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(labels.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }
}

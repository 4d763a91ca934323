package io.hookrail.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hookrail.ingest.signature.GitHubScheme;
import io.hookrail.ingest.signature.StandardWebhooksScheme;
import io.hookrail.ingest.signature.StripeScheme;

/** Sends webhooks over real HTTP, signed the way each scheme's senders sign them. */
public final class WebhookSender {

    private final HttpClient client;
    private final String baseUrl;

    public WebhookSender(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** A sender over HTTPS with this TLS context (its trust and, for mutual TLS, its client certificate). */
    public WebhookSender(String baseUrl, javax.net.ssl.SSLContext tls) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build();
    }

    public HttpResponse<String> standardWebhooks(String source, String secret, String id, byte[] body) {
        return standardWebhooks(source, secret, id, body, Instant.now());
    }

    public HttpResponse<String> standardWebhooks(String source, String secret, String id, byte[] body, Instant at) {
        long ts = at.getEpochSecond();
        return post(source, Map.of(
                StandardWebhooksScheme.ID_HEADER, id,
                StandardWebhooksScheme.TIMESTAMP_HEADER, String.valueOf(ts),
                StandardWebhooksScheme.SIGNATURE_HEADER, StandardWebhooksScheme.sign(secret, id, ts, body)), body);
    }

    public HttpResponse<String> stripe(String source, String secret, byte[] body) {
        return post(source, Map.of(StripeScheme.SIGNATURE_HEADER,
                StripeScheme.sign(secret, Instant.now().getEpochSecond(), body)), body);
    }

    public HttpResponse<String> github(String source, String secret, String delivery, String event, byte[] body) {
        return post(source, Map.of(
                GitHubScheme.DELIVERY_HEADER, delivery,
                GitHubScheme.EVENT_HEADER, event,
                GitHubScheme.SIGNATURE_HEADER, GitHubScheme.sign(secret, body)), body);
    }

    /** A JSON POST with the given headers. */
    public HttpResponse<String> post(String source, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return send(source, all, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** A JSON POST with the given headers and a raw (already encoded) query string, e.g. {@code webhook-id=x%20}. */
    public HttpResponse<String> postWithQuery(String source, String rawQuery, Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Content-Type", "application/json");
        all.putAll(headers);
        return send(source + "?" + rawQuery, all, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /** The headers a Standard Webhooks sender signs a delivery with: a capture an attacker could replay. */
    public static Map<String, String> standardWebhooksHeaders(String secret, String id, byte[] body, Instant at) {
        long ts = at.getEpochSecond();
        return Map.of(StandardWebhooksScheme.ID_HEADER, id,
                StandardWebhooksScheme.TIMESTAMP_HEADER, String.valueOf(ts),
                StandardWebhooksScheme.SIGNATURE_HEADER, StandardWebhooksScheme.sign(secret, id, ts, body));
    }

    /** A POST with exactly these headers and this body publisher (to test media types and sizes). */
    public HttpResponse<String> send(String source, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/" + source))
                .timeout(Duration.ofSeconds(30))
                .POST(body);
        headers.forEach(request::header);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("request to " + source + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

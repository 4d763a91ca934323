package io.hookrail.ingest.signature;

import java.util.Map;
import java.util.TreeMap;

/** A map-backed {@link Delivery} with case-insensitive header lookup, as the HTTP layer provides. */
final class TestDelivery implements Delivery {

    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final byte[] body;

    TestDelivery(Map<String, String> headers, byte[] body) {
        this.headers.putAll(headers);
        this.body = body.clone();
    }

    @Override
    public String header(String name) {
        return headers.get(name);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}

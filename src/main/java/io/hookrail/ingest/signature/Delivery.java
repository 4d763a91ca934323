package io.hookrail.ingest.signature;

/** A webhook delivery as received: header lookup (case-insensitive, first value) and raw body bytes. */
public interface Delivery {

    /**
     * Returns the first value of the named header.
     *
     * @param name the header name; the implementation makes the lookup case-insensitive
     * @return the header value, or {@code null} when the header is absent
     */
    String header(String name);

    /** Returns the raw body bytes exactly as received (signatures cover bytes, not parsed JSON). */
    byte[] body();
}

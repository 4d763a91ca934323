package io.hookrail.ingest.signature;

import java.time.Instant;
import java.util.List;

/** Verifies a delivery's signature under one scheme. */
public interface SignatureScheme {

    /** The configuration name: "standard-webhooks", "github" or "stripe". */
    String name();

    /**
     * Verifies the delivery against any of the given secrets (rotation: several are active at once).
     *
     * @param delivery the delivery as received
     * @param secrets the active secrets; an empty list rejects every delivery
     * @param now the current time, for schemes that bound the signed timestamp
     * @throws InvalidSignatureException with a short, client-safe reason (never containing a secret)
     */
    void verify(Delivery delivery, List<String> secrets, Instant now) throws InvalidSignatureException;

    /**
     * Checks a configured secret at startup, so a malformed one stops Hookrail instead of failing every delivery.
     *
     * @throws IllegalArgumentException naming the problem, never the secret
     */
    default void checkSecret(String secret) {
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
    }
}

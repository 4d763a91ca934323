package io.hookrail.ingest.signature;

/** Thrown when a delivery fails signature verification; the message is a short, client-safe reason. */
public final class InvalidSignatureException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param reason a short reason that is safe to return to the sender (never a secret)
     */
    public InvalidSignatureException(String reason) {
        super(reason);
    }

    /**
     * @param reason a short reason that is safe to return to the sender (never a secret)
     * @param cause the underlying failure, kept for logs
     */
    public InvalidSignatureException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package io.hookrail.privacy;

/** An encrypted value that does not authenticate: malformed, altered, or moved from another field. */
public final class TamperedValueException extends IllegalStateException {

    public TamperedValueException(String context, String why) {
        super("encrypted value at " + context + " does not decrypt: " + why);
    }
}

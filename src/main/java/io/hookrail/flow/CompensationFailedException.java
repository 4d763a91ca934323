package io.hookrail.flow;

/** A compensation gave up: the effects it was to undo still stand, and a person decides (replay finishes it). */
public final class CompensationFailedException extends RuntimeException {

    public CompensationFailedException(String step, Throwable cause) {
        super("compensation of " + step + " failed: " + cause.getMessage(), cause);
    }
}

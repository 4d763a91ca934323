package io.hookrail.flow;

/** A message that can never succeed (not a CloudEvent, or against its data contract): dead-lettered at once. */
public final class PoisonEventException extends RuntimeException {

    public PoisonEventException(String message) {
        super(message);
    }

    public PoisonEventException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.hookrail.ingest.signature;

import java.time.Instant;

/** Parses signed Unix timestamps and enforces {@link SignatureSchemes#TOLERANCE}. */
final class Timestamps {

    private static final String OUTSIDE_TOLERANCE =
            "timestamp outside the " + SignatureSchemes.TOLERANCE.toMinutes() + "-minute tolerance";

    private Timestamps() {
    }

    /**
     * Parses a Unix timestamp in whole seconds.
     *
     * @param invalidReason the client-safe reason used when the value is not an integer
     */
    static long parseSeconds(String value, String invalidReason) throws InvalidSignatureException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidSignatureException(invalidReason, e);
        }
    }

    /**
     * Rejects timestamps more than the tolerance before or after {@code now}.
     * Old ones are replays; future ones would stay replayable for longer than the tolerance.
     */
    static void checkTolerance(long timestampSeconds, Instant now) throws InvalidSignatureException {
        long nowSeconds = now.getEpochSecond();
        long tolerance = SignatureSchemes.TOLERANCE.toSeconds();
        // Compare against bounds instead of subtracting, so extreme header values cannot overflow.
        if (timestampSeconds < nowSeconds - tolerance || timestampSeconds > nowSeconds + tolerance) {
            throw new InvalidSignatureException(OUTSIDE_TOLERANCE);
        }
    }
}

package io.hookrail.poll;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;

/**
 * When a polling source polls: every {@code interval}, on a grid counted from the Unix epoch in UTC milliseconds and
 * shifted by a jitter offset derived from (instance id, source name), so that neither the sources of one instance nor
 * the instances of one deployment fire together, none fires at second 0 of a minute, and an interval of two minutes or
 * more never fires in minute 0 of the hour: no thundering herd at the top of the hour (ADR 12).
 * <p>
 * Pure UTC arithmetic on {@link Instant}s, no zone anywhere: a daylight-saving change moves nothing, and every
 * interval is exactly its configured length. The interval must divide a minute (2 s to 60 s), or be whole minutes
 * dividing an hour, or whole hours: only such intervals keep every fire at the same place within the minute (or
 * the hour), which is what lets the offset keep them all off the top of it.
 */
public final class PollSchedule {

    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;

    private final long intervalMillis;
    private final long offsetMillis;

    private PollSchedule(long intervalMillis, long offsetMillis) {
        this.intervalMillis = intervalMillis;
        this.offsetMillis = offsetMillis;
    }

    /**
     * @throws IllegalArgumentException for an interval of another shape, naming the ones allowed
     */
    public static PollSchedule of(Duration interval, String instanceId, String source) {
        long every = interval.toMillis();
        if (!allowed(every)) {
            throw new IllegalArgumentException("a polling interval must be whole seconds dividing a minute (PT5S to"
                    + " PT60S), whole minutes dividing an hour (PT2M, PT5M, PT15M, ...) or whole hours, not " + interval);
        }
        return new PollSchedule(every, offset(every, hash(instanceId + "\n" + source)));
    }

    static boolean allowed(long every) {
        if (every < 5 * SECOND || every % SECOND != 0) {
            return false;
        }
        if (every <= MINUTE) {
            return MINUTE % every == 0;
        }
        if (every <= HOUR) {
            return every % MINUTE == 0 && HOUR % every == 0;
        }
        return every % HOUR == 0;
    }

    /**
     * The offset of the grid, in [0, interval), that keeps every fire between second 1 and second 59 of its minute
     * (so a fire that starts up to a second late, at the poller's next tick, is still not at second 0). For an
     * interval of a minute or less every fire's place within the minute is the offset plus whole intervals; for
     * longer ones the offset is a minute from 1 of the interval's (or the hour's) minutes and a second from 1 to 58,
     * so every fire's place within the hour is out of minute 0 too; over an hour, plus a whole hour of the interval.
     */
    static long offset(long every, long hash) {
        if (every <= MINUTE) {
            return SECOND + Math.floorMod(hash, every - 2 * SECOND);
        }
        long minutes = Math.min(every, HOUR) / MINUTE; // 2 at least
        long second = SECOND + Math.floorMod(hash, 58 * SECOND);
        long minute = 1 + Math.floorMod(hash / (58 * SECOND), minutes - 1);
        long hour = every > HOUR ? Math.floorMod(hash / (58 * SECOND * 60), every / HOUR) : 0;
        return hour * HOUR + minute * MINUTE + second;
    }

    /** The first planned poll strictly after {@code after}. */
    public Instant next(Instant after) {
        long at = after.toEpochMilli();
        long slot = Math.floorDiv(at - offsetMillis, intervalMillis) + 1;
        return Instant.ofEpochMilli(slot * intervalMillis + offsetMillis);
    }

    public Duration interval() {
        return Duration.ofMillis(intervalMillis);
    }

    /** The jitter: where, after each multiple of the interval since the epoch, this source polls. */
    public Duration offset() {
        return Duration.ofMillis(offsetMillis);
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                value = (value << 8) | (digest[i] & 0xff);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}

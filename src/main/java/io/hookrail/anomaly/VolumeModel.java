package io.hookrail.anomaly;

import java.util.List;

/**
 * The expected-volume model of one source's event type, pure arithmetic (documented in
 * docs/operations.md "Volume anomalies"). From accepted-event counts of whole hours:
 * <pre>
 * ewma     = c[1];  ewma = alpha * c[k] + (1 - alpha) * ewma   for the recent hours k = 2..n, oldest first
 * expected = (sameHourLastWeek + ewma) / 2     or ewma alone while the store holds no receipts of a week ago
 * drop     = expected >= minimumExpected  and  observed < dropRatio * expected
 * spike    = observed > spikeRatio * max(expected, minimumExpected)
 * </pre>
 * Below {@code minimumExpected} a quiet hour is no drop (a type that sends a few events a day is not alarming when
 * it sends none), while a burst out of quiet is still a spike.
 *
 * @param alpha           the weight of the latest hour in the EWMA, in (0, 1]
 * @param dropRatio       a drop is fewer than this share of the expected count, in (0, 1)
 * @param spikeRatio      a spike is more than this multiple of the expected count, above 1
 * @param minimumExpected the expected count below which no drop is judged, and the floor a spike is measured from
 */
public record VolumeModel(double alpha, double dropRatio, double spikeRatio, double minimumExpected) {

    public VolumeModel {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("hookrail.volume.alpha must be in (0, 1], not " + alpha);
        }
        if (!(dropRatio > 0 && dropRatio < 1)) {
            throw new IllegalArgumentException("hookrail.volume.dropRatio must be in (0, 1), not " + dropRatio);
        }
        if (!(spikeRatio > 1)) {
            throw new IllegalArgumentException("hookrail.volume.spikeRatio must be above 1, not " + spikeRatio);
        }
        if (!(minimumExpected >= 0)) {
            throw new IllegalArgumentException("hookrail.volume.minimumExpected must be 0 or more, not "
                    + minimumExpected);
        }
    }

    /** The model's verdict on one hour. */
    public record Judgement(long observed, double expected, boolean drop, boolean spike) {
    }

    /**
     * @param observed         accepted in the last hour
     * @param sameHourLastWeek accepted in the same hour a week before; null when the store has no receipts that old
     *                         (a new installation): the expected count is then the EWMA alone, not half of it
     * @param recentHours      accepted in each of the hours before the last one, oldest first; none: the EWMA is
     *                         last week's count
     */
    public Judgement judge(long observed, Long sameHourLastWeek, List<Long> recentHours) {
        double expected = sameHourLastWeek == null ? ewma(recentHours, 0)
                : (sameHourLastWeek + ewma(recentHours, sameHourLastWeek)) / 2;
        boolean drop = expected >= minimumExpected && expected > 0 && observed < dropRatio * expected;
        boolean spike = observed > spikeRatio * Math.max(expected, minimumExpected);
        return new Judgement(observed, expected, drop, spike);
    }

    /** The exponentially weighted moving average of the counts, oldest first; {@code none} when there are none. */
    double ewma(List<Long> counts, double none) {
        if (counts.isEmpty()) {
            return none;
        }
        double ewma = counts.get(0);
        for (int k = 1; k < counts.size(); k++) {
            ewma = alpha * counts.get(k) + (1 - alpha) * ewma;
        }
        return ewma;
    }
}

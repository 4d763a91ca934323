package io.hookrail.anomaly;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model's arithmetic: expected = (same hour last week + EWMA of the recent hours) / 2, and its two thresholds. */
class VolumeModelTest {

    private final VolumeModel model = new VolumeModel(0.5, 0.5, 3, 20);

    @Test
    void theEwmaWeighsTheLatestHourByAlpha() {
        // 100, then 0.5*200 + 0.5*100 = 150, then 0.5*100 + 0.5*150 = 125
        assertEquals(125.0, model.ewma(List.of(100L, 200L, 100L), 0), 1e-9);
        assertEquals(42.0, model.ewma(List.of(), 42), 1e-9);
    }

    @Test
    void expectedIsTheMeanOfLastWeeksHourAndTheEwma() {
        VolumeModel.Judgement normal = model.judge(110, 100L, List.of(100L, 120L));
        assertEquals(105.0, normal.expected(), 1e-9);
        assertFalse(normal.drop());
        assertFalse(normal.spike());
    }

    @Test
    void withoutAWeekOfHistoryTheExpectedCountIsTheEwmaAlone() {
        assertEquals(100.0, model.judge(100, null, List.of(100L)).expected(), 1e-9);
        assertFalse(model.judge(160, null, List.of(100L)).spike());
        assertEquals(0.0, model.judge(5, null, List.of()).expected(), 1e-9);
    }

    @Test
    void fewerThanDropRatioOfExpectedIsADrop() {
        assertTrue(model.judge(49, 100L, List.of(100L)).drop());
        assertFalse(model.judge(50, 100L, List.of(100L)).drop());
    }

    @Test
    void moreThanSpikeRatioOfExpectedIsASpike() {
        assertTrue(model.judge(301, 100L, List.of(100L)).spike());
        assertFalse(model.judge(300, 100L, List.of(100L)).spike());
    }

    @Test
    void belowTheMinimumExpectedAQuietHourIsNoDropButABurstIsASpike() {
        VolumeModel.Judgement quiet = model.judge(0, 10L, List.of(10L));
        assertFalse(quiet.drop());
        assertFalse(quiet.spike());
        // measured from the floor of 20, not from the expected 10
        assertFalse(model.judge(60, 10L, List.of(10L)).spike());
        assertTrue(model.judge(61, 10L, List.of(10L)).spike());
    }

    @Test
    void parametersOutOfRangeNameTheirKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new VolumeModel(0, 0.5, 3, 20));
        assertTrue(e.getMessage().contains("hookrail.volume.alpha"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VolumeModel(0.3, 1, 3, 20));
        assertThrows(IllegalArgumentException.class, () -> new VolumeModel(0.3, 0.5, 1, 20));
        assertThrows(IllegalArgumentException.class, () -> new VolumeModel(0.3, 0.5, 3, -1));
    }
}

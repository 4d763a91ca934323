package io.hookrail.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PollScheduleTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(5), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1));

    @Test
    void springForwardInBerlinKeepsEveryIntervalExactAndOffTheTopOfTheHour() {
        // 2026-03-29 02:00 CET becomes 03:00 CEST: a local "every hour" would skip or double a slot
        crossesDst(ZonedDateTime.of(LocalDateTime.of(2026, 3, 29, 0, 0), BERLIN));
    }

    @Test
    void fallBackInBerlinKeepsEveryIntervalExactAndOffTheTopOfTheHour() {
        // 2026-10-25 03:00 CEST becomes 02:00 CET: the hour from 02:00 to 03:00 local happens twice
        crossesDst(ZonedDateTime.of(LocalDateTime.of(2026, 10, 25, 0, 0), BERLIN));
    }

    private static void crossesDst(ZonedDateTime localMidnight) {
        Clock clock = Clock.fixed(localMidnight.toInstant(), ZoneOffset.UTC);
        Instant end = clock.instant().plus(Duration.ofHours(6));
        assertNotEquals(BERLIN.getRules().getOffset(clock.instant()), BERLIN.getRules().getOffset(end),
                "the window crosses no DST change");
        for (Duration interval : INTERVALS) {
            PollSchedule schedule = PollSchedule.of(interval, "hookrail-a", "erp-invoices");
            Instant previous = schedule.next(clock.instant());
            assertOffTheTop(interval, previous);
            while (previous.isBefore(end)) {
                Instant fire = schedule.next(previous);
                assertEquals(interval, Duration.between(previous, fire), interval + ": from " + previous + " to " + fire);
                assertOffTheTop(interval, fire);
                previous = fire;
            }
        }
    }

    @Test
    void aDailyPollStaysAtOneUtcTimeAcrossDaylightSaving() {
        PollSchedule daily = PollSchedule.of(Duration.ofDays(1), "hookrail-a", "erp-invoices");
        Instant before = daily.next(Instant.parse("2026-03-27T00:00:00Z"));
        Instant after = daily.next(Instant.parse("2026-03-31T00:00:00Z"));
        assertEquals(before.atOffset(ZoneOffset.UTC).toLocalTime(), after.atOffset(ZoneOffset.UTC).toLocalTime());
        // in Berlin it moves by the hour the clocks moved: the schedule is in UTC, as documented
        assertEquals(before.atZone(BERLIN).toLocalTime().plusHours(1), after.atZone(BERLIN).toLocalTime());
    }

    @Test
    void noIntervalFiresAtSecondZeroAndLongerOnesNeverInMinuteZero() {
        for (Duration interval : INTERVALS) {
            for (int source = 0; source < 200; source++) {
                PollSchedule schedule = PollSchedule.of(interval, "instance-" + source % 7, "source-" + source);
                Instant fire = Instant.parse("2026-01-01T00:00:00Z");
                for (int i = 0; i < 50; i++) {
                    fire = schedule.next(fire);
                    assertOffTheTop(interval, fire);
                }
            }
        }
    }

    @Test
    void instancesAndSourcesGetTheirOwnOffsets() {
        Set<Duration> offsets = new HashSet<>();
        for (String instance : List.of("hookrail-a", "hookrail-b", "hookrail-c")) {
            for (String source : List.of("erp-invoices", "crm-leads", "billing")) {
                offsets.add(PollSchedule.of(Duration.ofHours(1), instance, source).offset());
            }
        }
        assertEquals(9, offsets.size(), offsets.toString());
        // derived, not random: the same instance and source always get the same one
        assertEquals(PollSchedule.of(Duration.ofHours(1), "hookrail-a", "erp-invoices").offset(),
                PollSchedule.of(Duration.ofHours(1), "hookrail-a", "erp-invoices").offset());
    }

    @Test
    void nextIsStrictlyAfterAndOnTheGrid() {
        PollSchedule schedule = PollSchedule.of(Duration.ofMinutes(5), "hookrail-a", "erp-invoices");
        Instant fire = schedule.next(Instant.parse("2026-06-01T12:00:00Z"));
        assertEquals(fire.plus(Duration.ofMinutes(5)), schedule.next(fire));
        assertEquals(fire, schedule.next(fire.minusMillis(1)));
        assertTrue(Duration.between(Instant.parse("2026-06-01T12:00:00Z"), fire).compareTo(Duration.ofMinutes(5)) <= 0);
    }

    @Test
    void intervalsThatCannotKeepOffTheTopAreRefused() {
        for (Duration bad : List.of(Duration.ofSeconds(1), Duration.ofSeconds(7), Duration.ofMillis(5500),
                Duration.ofSeconds(90), Duration.ofMinutes(7), Duration.ofMinutes(90))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> PollSchedule.of(bad, "hookrail-a", "erp-invoices"), bad.toString());
            assertTrue(refused.getMessage().contains(bad.toString()), refused.getMessage());
        }
    }

    /** Between second 1 and 59 of its minute; from two minutes up, not in minute 0 of the hour either. */
    private static void assertOffTheTop(Duration interval, Instant fire) {
        long millisOfMinute = fire.toEpochMilli() % 60_000;
        assertTrue(millisOfMinute >= 1_000 && millisOfMinute < 59_000, interval + " fires at " + fire);
        if (interval.compareTo(Duration.ofMinutes(2)) >= 0) {
            assertTrue(fire.toEpochMilli() % 3_600_000 >= 60_000, interval + " fires in minute 0: " + fire);
        }
    }
}

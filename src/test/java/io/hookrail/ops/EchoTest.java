package io.hookrail.ops;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EchoTest {

    @Test
    void controlAndInvisibleCharactersBecomeQuestionMarks() {
        assertEquals("a?b?c?d?e", Echo.safe("a\nb\rc\u0000d\u200be"));
        assertEquals("x?y", Echo.safe("x\u2028y"));
        assertEquals("text/plain; charset=utf-8", Echo.safe("text/plain; charset=utf-8"));
        assertEquals("null", Echo.safe(null));
    }

    @Test
    void longValuesAreCutAndMarked() {
        String echoed = Echo.safe("y".repeat(1_000_000));
        assertEquals(Echo.MAX_LENGTH + 1, echoed.length());
        assertEquals("y".repeat(Echo.MAX_LENGTH) + "…", echoed);
        assertEquals("abc…", Echo.safe("abcdef", 3));
    }
}

package io.hookrail.ops.logging;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PersonalDataMaskingTest {

    @Test
    void emailAddressesKeepTheirFirstLetterAndDomain() {
        assertEquals("mail to a***@example.com and p***@acme.example.",
                PersonalDataMasking.mask("mail to amina.otieno@example.com and procurement@acme.example."));
        assertEquals("z***@example.de", PersonalDataMasking.mask("zoe.muller@example.de"));
        assertEquals("<w***@kilimo.example>", PersonalDataMasking.mask("<wanjiru@kilimo.example>"));
        assertEquals("?to=a***%40example.com", PersonalDataMasking.mask("?to=amina.otieno%40example.com"));
        assertEquals("j***@sub.domain-x.example.org", PersonalDataMasking.mask("j.doe+tag@sub.domain-x.example.org"));
    }

    @Test
    void textWithoutPersonalDataIsLeftAlone() {
        String[] untouched = {
                "Accepted order.placed event msg_123 from shop",
                "Created io.hookrail.flow.FlowSteps@5e2de80c.",
                "Connection refused: tcp://127.0.0.1:61616",
                "{\"orderId\":\"ORD-10001\",\"currency\":\"EUR\",\"amountMinor\":12990}",
                "route1 started and consuming from: platform-http:///webhooks/%7Bsource%7D",
                ""};
        for (String text : untouched) {
            assertEquals(text, PersonalDataMasking.mask(text));
        }
        String plain = "no quotes and no at sign";
        assertSame(plain, PersonalDataMasking.mask(plain));
    }

    @Test
    void valuesOfPersonalJsonFieldsAreMasked() {
        String body = "{\"orderId\":\"ORD-10003\",\"customer\":{\"id\":\"CUS-9001\",\"email\":\"zoe.muller@example.de\","
                + "\"name\":\"Zoë Müller-Łukasiewicz\"},\"to\" : \"x@y.example\",\"requestedBy\":\"Jane Roe\","
                + "\"customerName\":\"Acme Logistics Ltd\",\"company\":\"Kilimo Fresh Co-op\"}";
        assertEquals("{\"orderId\":\"ORD-10003\",\"customer\":{\"id\":\"CUS-9001\",\"email\":\"***\","
                + "\"name\":\"***\"},\"to\" : \"***\",\"requestedBy\":\"***\","
                + "\"customerName\":\"***\",\"company\":\"Kilimo Fresh Co-op\"}", PersonalDataMasking.mask(body));
    }

    @Test
    void jsonEscapesInsideAValueAreMaskedWithIt() {
        assertEquals("{\"name\":\"***\",\"score\":87}",
                PersonalDataMasking.mask("{\"name\":\"Zo\\u00eb \\\"Zed\\\" M\\\\ller\",\"score\":87}"));
        assertEquals("{\"Name\":\"***\"}", PersonalDataMasking.mask("{\"Name\":\"Wanjiru Kamau\"}"));
    }

    @Test
    void fieldNamesThatOnlyEndLikeAPersonalOneAreNotMasked() {
        String body = "{\"username\":\"ops\",\"routeName\":\"order-fulfilment\",\"toll\":\"A1\"}";
        assertEquals(body, PersonalDataMasking.mask(body));
    }

    @Test
    void jsonEscapedIntoAStringIsMaskedToo() {
        String logged = "{\"message\":\"{\\\"name\\\":\\\"Amina Otieno\\\",\\\"orderId\\\":\\\"ORD-1\\\"}\"}";
        assertEquals("{\"message\":\"{\\\"name\\\":\\\"***\\\",\\\"orderId\\\":\\\"ORD-1\\\"}\"}",
                PersonalDataMasking.mask(logged));
    }

    @Test
    void aValueCutShortByTruncationIsMaskedToTheEnd() {
        String masked = PersonalDataMasking.mask("Body: {\"orderId\":\"ORD-1\",\"name\":\"Amina Oti... [Body clipped]");
        assertEquals("Body: {\"orderId\":\"ORD-1\",\"name\":\"***", masked);
        assertFalse(masked.contains("Amina"));
    }

    @Test
    void multiLineTextIsMaskedOnEveryLine() {
        String masked = PersonalDataMasking.mask("first amina.otieno@example.com\n"
                + "\tat org.example.Foo(Foo.java:1)\nCaused by: java.lang.IllegalStateException: {\"name\":\"Wanjiru Kamau\"}");
        assertTrue(masked.contains("first a***@example.com\n"), masked);
        assertTrue(masked.endsWith("{\"name\":\"***\"}"), masked);
    }

    /**
     * Hostile inputs of n = 200,000 characters that made an unbounded pattern rescan from every position (quadratic:
     * some 10^10 character reads). The measure is the number of characters each pattern reads, counted by the
     * {@link CharSequence} it scans, which must stay within a constant times n; no timing.
     */
    @Test
    void eachPatternReadsALinearNumberOfCharactersOnLargeHostileInput() {
        int n = 200_000;
        java.util.Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("a run of letters, then an @ with no domain", "a".repeat(n) + "@");
        hostile.put("a run of letters, then %40 and a dotless domain", "a".repeat(n) + "%40" + "b".repeat(64));
        hostile.put("an @ followed by a long run of labels", "x@" + "b.".repeat(n / 2));
        hostile.put("many @ in a row", "a@".repeat(n / 2));
        hostile.put("a personal field and whitespace, no colon", "\"name\"" + " ".repeat(n));
        hostile.put("the field name over and over", "\"name\": ".repeat(n / 8));
        hostile.put("an escaped field with whitespace, no colon", "\\\"name\\\"" + " ".repeat(n));
        for (var input : hostile.entrySet()) {
            for (java.util.regex.Pattern pattern : java.util.List.of(PersonalDataMasking.EMAIL,
                    PersonalDataMasking.JSON_FIELD, PersonalDataMasking.ESCAPED_JSON_FIELD)) {
                CountingChars text = new CountingChars(input.getValue());
                java.util.regex.Matcher matcher = pattern.matcher(text);
                while (matcher.find()) {
                    // scan it all, as replaceAll does
                }
                long bound = 1_000L * text.length();
                assertTrue(text.reads <= bound, input.getKey() + ": " + pattern + " read " + text.reads
                        + " characters of " + text.length() + ", more than " + bound);
            }
            // and the whole masking of it gives a text of the same order of size
            assertTrue(PersonalDataMasking.mask(input.getValue()).length() <= input.getValue().length() + 3);
        }
    }

    @Test
    void aLongLocalPartStillHasItsDomainAndEndMasked() {
        // no real address has a local part over 64 characters (RFC 5321); the bounded pattern still masks the end
        String masked = PersonalDataMasking.mask("x".repeat(70) + "@example.com");
        assertTrue(masked.endsWith("***@example.com"), masked);
    }

    /** A CharSequence that counts the characters read from it. */
    private static final class CountingChars implements CharSequence {
        private final String text;
        long reads;

        CountingChars(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            reads += end - start;
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            reads += text.length();
            return text;
        }
    }
}

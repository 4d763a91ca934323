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
}

package io.hookrail.flow;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UrlSegmentsTest {

    @Test
    void anOrdinaryIdIsItself() {
        assertEquals("INV-2026-0042", UrlSegments.encode("INV-2026-0042"));
        assertEquals("inv_1.2~3", UrlSegments.encode("inv_1.2~3"));
    }

    @Test
    void otherCharactersArePercentEncodedSoTheyStayInOneSegment() {
        assertEquals("a%20b", UrlSegments.encode("a b"));
        assertEquals("a%3Bb%3Dc%26d%2Be", UrlSegments.encode("a;b=c&d+e"));
        assertEquals("..a", UrlSegments.encode("..a"));
        assertEquals("%C3%A9t%C3%A9", UrlSegments.encode("été"));
        assertEquals("%F0%9F%98%80", UrlSegments.encode("😀"));
        assertEquals("a%3A%40b", UrlSegments.encode("a:@b"));
        assertEquals("%24%7Bheader.x%7D", UrlSegments.encode("${header.x}"));
    }

    @Test
    void aValueThatCouldChangeThePathIsRefused() {
        for (String hostile : new String[] {null, "", ".", "..", "../admin", "a/b", "/", "a\\b", "..\\x", "a?b=1",
                "a#frag", "%2e%2e", "a%2Fb", "a\r\nHost: evil", "a\u0000", "a\tb", "a\u007f", "a\u0085",
                " INV-1", "INV-1 ", "a\u2028b", "x".repeat(UrlSegments.MAX_LENGTH + 1), "\ud800"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> UrlSegments.encode(hostile), String.valueOf(hostile));
            assertTrue(refused.getMessage().startsWith("Refusing to put"), refused.getMessage());
            assertFalse(refused.getMessage().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0),
                    refused.getMessage());
        }
        assertEquals("x".repeat(UrlSegments.MAX_LENGTH), UrlSegments.encode("x".repeat(UrlSegments.MAX_LENGTH)));
    }

    /** The YAML calls the bean as below: Camel hands the property's value over as it is, commas and all. */
    @Test
    void theBeanCallOfTheYamlGetsTheRawValueAndFailsTheExchangeOnAHostileOne() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.getRegistry().bind(UrlSegments.BEAN, new UrlSegments());
            // a lambda, not a RouteBuilder subclass: Hookrail's package scan would load one into every instance
            RouteBuilder.addRoutes(camel, routes -> routes.from("direct:cancel")
                    .setProperty("invoiceIdSegment", routes.method(UrlSegments.BEAN,
                            "segment(${exchangeProperty.invoiceId})"))
                    .setBody(routes.simple("/invoices/${exchangeProperty.invoiceIdSegment}/cancel")));
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            assertEquals("/invoices/INV-7/cancel", cancelUrl(template, "INV-7"));
            assertEquals("/invoices/a%2Cb%29%20c/cancel", cancelUrl(template, "a,b) c"));
            assertEquals("/invoices/%24%7Bbody%7D/cancel", cancelUrl(template, "${body}"));
            for (String hostile : List.of("../../admin/users", "INV-1/cancel?x=", "INV-1#", "a\nb", "..")) {
                CamelExecutionException failed = assertThrows(CamelExecutionException.class,
                        () -> cancelUrl(template, hostile), hostile);
                assertInstanceOf(IllegalArgumentException.class, rootCause(failed), hostile);
            }
        }
    }

    @Test
    void theCompensationUrlsOfTheFlowsSpliceOnlyEncodedSegments() throws IOException {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/routes/order-fulfilment.camel.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(yaml.contains("ref: " + UrlSegments.BEAN), "order-fulfilment encodes with " + UrlSegments.BEAN);
        assertTrue(yaml.contains("method: \"segment(${exchangeProperty.invoiceId})\""), yaml);
        Matcher urls = Pattern.compile("url: \"([^\"]*)\"").matcher(yaml);
        int spliced = 0;
        while (urls.find()) {
            Matcher values = Pattern.compile("\\$\\{([^}]*)}").matcher(urls.group(1));
            while (values.find()) {
                spliced++;
                assertTrue(values.group(1).matches("exchangeProperty\\.\\w+Segment"),
                        "URL " + urls.group(1) + " splices " + values.group(1) + " unencoded");
            }
        }
        assertEquals(1, spliced, "the invoice cancel URL");
    }

    private static String cancelUrl(ProducerTemplate template, String invoiceId) {
        Exchange done = template.send("direct:cancel", exchange -> exchange.setProperty("invoiceId", invoiceId));
        if (done.getException() != null) {
            throw new CamelExecutionException("cancel failed", done, done.getException());
        }
        return done.getMessage().getBody(String.class);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}

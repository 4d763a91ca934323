package io.hookrail.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sample webhook bodies of the repository's {@code examples/events}, read byte for byte, with the demo source that
 * sends each: valid v1 events of every type, copies of the golden events (a clone has nothing beside it).
 */
public final class GoldenEvents {

    /** The demo sources and secrets of DESIGN section 3. */
    public static final String SHOP_SECRET = "whsec_zdPH5QVI07sGLlDNTQBHLQgRxLqMuiOb";
    public static final String PAYMENTS_SECRET = "whsec_fe78c9c78ba6508d3c615b247ff10163";
    public static final String CRM_SECRET = "whsec_4Zm2WnupRy2vw5XoLnE2EXiFs28/rlnK";
    public static final String SUPPORT_SECRET = "whsec_YiBIjwsee5n9PHwxGnHj9Sr5Ct6jpVje";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One golden file and how it is sent. */
    public record Golden(String file, String source, String secret, String type, String businessId) {

        public byte[] body() {
            return read(file);
        }

        public boolean isStripe() {
            return source.equals("payments");
        }

        @Override
        public String toString() {
            return file;
        }
    }

    public static final List<Golden> ALL = List.of(
            new Golden("shop-order-placed-small.json", "shop", SHOP_SECRET, "order.placed", "ORD-10001"),
            new Golden("shop-order-placed-large.json", "shop", SHOP_SECRET, "order.placed", "ORD-10002"),
            new Golden("shop-order-placed-unicode.json", "shop", SHOP_SECRET, "order.placed", "ORD-10003"),
            new Golden("payments-invoice-paid.json", "payments", PAYMENTS_SECRET, "invoice.paid", "INV-2026-0042"),
            new Golden("crm-lead-qualified.json", "crm", CRM_SECRET, "lead.qualified", "LEAD-3141"),
            new Golden("support-refund-small.json", "support", SUPPORT_SECRET, "refund.requested", "RF-501"),
            new Golden("support-refund-large.json", "support", SUPPORT_SECRET, "refund.requested", "RF-502"));

    private GoldenEvents() {
    }

    public static Golden named(String file) {
        return ALL.stream().filter(g -> g.file().equals(file)).findFirst().orElseThrow();
    }

    public static byte[] read(String file) {
        return read(directory(), file);
    }

    public static byte[] read(Path directory, String file) {
        try {
            return Files.readAllBytes(directory.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sample file with one field of its business data set (the body's {@code data}, or {@code data.object} of a
     * Stripe event), e.g. a new order id: the same event for another business entity.
     */
    public static byte[] withField(String file, String field, String value) {
        try {
            ObjectNode event = (ObjectNode) MAPPER.readTree(read(file));
            JsonNode data = event.get("data");
            ObjectNode business = (ObjectNode) (data.has("object") ? data.get("object") : data);
            business.put(field, value);
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code examples/events} of the repository; Maven runs the tests in the project's directory. */
    public static Path directory() {
        return Path.of("examples", "events");
    }
}

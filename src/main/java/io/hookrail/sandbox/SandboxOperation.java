package io.hookrail.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.json.CanonicalJson;
import io.hookrail.ops.HttpAnswers;
import org.apache.camel.Message;

/**
 * The table of every mutating sandbox call: which fake system it belongs to, its operation name (as recorded in the
 * ledger), its path under {@code /sandbox}, its success status, and the response it answers.
 */
enum SandboxOperation {

    INVOICE_CREATE("erp", "invoice.create", "/erp/invoices", 201, call -> {
        ObjectNode invoice = object().put("invoiceId", newId("INV")).put("status", "open");
        if (call.body().has("amountMinor")) {
            invoice.put("amountMinor", amountMinor(call.body()));
        }
        if (call.body().has("currency")) {
            invoice.put("currency", currency(call.body()));
        }
        return invoice;
    }),
    // any invoice id is accepted: invoices created elsewhere (by hand, by another system) exist in a real ERP
    INVOICE_CANCEL("erp", "invoice.cancel", "/erp/invoices/{invoiceId}/cancel", 200,
            call -> object().put("invoiceId", call.path("invoiceId")).put("status", "cancelled")),
    INVOICE_MARK_PAID("erp", "invoice.markPaid", "/erp/invoices/{invoiceId}/paid", 200,
            call -> object().put("invoiceId", call.path("invoiceId")).put("status", "paid")),

    PAYMENT_CAPTURE("payments", "payment.capture", "/payments/captures", 201,
            call -> object().put("paymentId", newId("PAY")).put("status", "captured")
                    .put("amountMinor", amountMinor(call.body())).put("currency", currency(call.body()))),
    PAYMENT_REFUND("payments", "payment.refund", "/payments/refunds", 201, call -> {
        ObjectNode refund = object().put("refundId", newId("RFND")).put("paymentId", text(call.body(), "paymentId"))
                .put("status", "refunded");
        // a partial refund names its amount; a full one may leave it out
        if (call.body().has("amountMinor")) {
            refund.put("amountMinor", amountMinor(call.body()));
        }
        if (call.body().has("currency")) {
            refund.put("currency", currency(call.body()));
        }
        return refund;
    }),

    EMAIL_SEND("email", "email.send", "/email/messages", 202,
            call -> object().put("messageId", newId("EM")).put("status", "queued")),

    CONTACT_UPSERT("crm", "contact.upsert", "/crm/contacts", 200,
            call -> object().put("contactId", contactId(call.body()))),
    // any contact id is accepted, as for invoices; an erasure cannot be undone, so it has no compensating call
    CONTACT_ERASE("crm", "contact.erase", "/crm/contacts/{contactId}/erase", 200,
            call -> object().put("contactId", call.path("contactId")).put("status", "erased")),
    NOTE_ADD("crm", "note.add", "/crm/notes", 201,
            call -> object().put("noteId", newId("NOTE")));

    /** One call's request: its JSON body and the path parameters of its operation. */
    record Call(JsonNode body, Map<String, String> pathParameters) {

        String path(String name) {
            return pathParameters.get(name);
        }
    }

    /** Builds the success response of a call, or refuses a request the real system would refuse. */
    @FunctionalInterface
    interface Responder {
        ObjectNode respond(Call call) throws SandboxRejection;
    }

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([A-Za-z]+)}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

    private final String system;
    private final String operation;
    private final String path;
    private final int successStatus;
    private final Responder responder;

    SandboxOperation(String system, String operation, String path, int successStatus, Responder responder) {
        this.system = system;
        this.operation = operation;
        this.path = path;
        this.successStatus = successStatus;
        this.responder = responder;
    }

    String system() {
        return system;
    }

    /** The operation name of the ledger, e.g. {@code invoice.create}. */
    String operation() {
        return operation;
    }

    /** The path under {@code /sandbox}, with platform-http parameters such as {@code {invoiceId}}. */
    String path() {
        return path;
    }

    int successStatus() {
        return successStatus;
    }

    /** The route id, e.g. {@code sandbox-invoice-create}. */
    String routeId() {
        return "sandbox-" + operation.replace('.', '-');
    }

    ObjectNode respond(Call call) throws SandboxRejection {
        return responder.respond(call);
    }

    /** The values of this operation's path parameters, which platform-http puts in headers of their names. */
    Map<String, String> pathParameters(Message message) {
        Map<String, String> values = new LinkedHashMap<>();
        Matcher parameter = PATH_PARAMETER.matcher(path);
        while (parameter.find()) {
            values.put(parameter.group(1), message.getHeader(parameter.group(1), String.class));
        }
        return values;
    }

    /** The names of the fake systems: erp, payments, email, crm. */
    static Set<String> systems() {
        return Arrays.stream(values()).map(SandboxOperation::system).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Each system's operation names, e.g. payments: payment.capture, payment.refund. */
    static Map<String, Set<String>> operationsBySystem() {
        return Arrays.stream(values()).collect(Collectors.groupingBy(SandboxOperation::system,
                Collectors.mapping(SandboxOperation::operation, Collectors.toCollection(TreeSet::new))));
    }

    private static ObjectNode object() {
        return HttpAnswers.MAPPER.createObjectNode();
    }

    /** An id in the style of the system's own, e.g. {@code PAY-3F9A1C0B7D2E}. */
    private static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase(Locale.ROOT);
    }

    private static long amountMinor(JsonNode body) throws SandboxRejection {
        JsonNode amount = body.get("amountMinor");
        if (amount == null || !amount.canConvertToLong() || !amount.isIntegralNumber() || amount.asLong() < 1) {
            throw SandboxRejection.invalid("amountMinor must be an integer of minor units, at least 1");
        }
        return amount.asLong();
    }

    private static String currency(JsonNode body) throws SandboxRejection {
        JsonNode currency = body.get("currency");
        if (currency == null || !currency.isTextual() || !CURRENCY.matcher(currency.asText()).matches()) {
            throw SandboxRejection.invalid("currency must be a 3-letter ISO 4217 code such as EUR");
        }
        return currency.asText();
    }

    private static String text(JsonNode body, String field) throws SandboxRejection {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw SandboxRejection.invalid(field + " is required");
        }
        return value.asText();
    }

    /** The same email gives the same contact, as an upsert should; without one the reference stands in. */
    private static String contactId(JsonNode body) throws SandboxRejection {
        JsonNode email = body.get("email");
        if (email != null && !email.isNull() && !email.isTextual()) {
            throw SandboxRejection.invalid("email must be a string");
        }
        String identity = email != null && email.isTextual() && !email.asText().isBlank()
                ? "email:" + email.asText().trim().toLowerCase(Locale.ROOT)
                : "reference:" + body.get("reference").asText();
        String digest = CanonicalJson.sha256(identity.getBytes(StandardCharsets.UTF_8));
        return "CON-" + digest.substring(0, 12).toUpperCase(Locale.ROOT);
    }
}

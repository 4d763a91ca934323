package io.hookrail.sandbox;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;

/**
 * The fake ERP's invoices by reference ({@code GET /sandbox/erp/invoices?reference=}), as a real ERP lists them: what
 * a flow's reconciliation hook asks in production. Read from the ledger, so an effect doubled there by hand shows
 * as a second invoice: each {@code invoice.create} is an invoice (its id from the stored response, or
 * {@code INV-L<seq>} for an entry with none), each {@code invoice.cancel} and {@code invoice.markPaid} sets the
 * status of the invoice its response names (one the ERP did not create, paid by another system, is listed too).
 */
final class SandboxInvoices {

    private final DataSource dataSource;

    SandboxInvoices(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** {@code {"items": [{invoiceId, reference, status, idempotencyKey}]}} in the order the invoices appeared. */
    ObjectNode byReference(String reference) throws SQLException {
        Map<String, ObjectNode> invoices = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT l.seq, l.operation, l.idempotency_key,"
                     + " i.response_body FROM sandbox_ledger l LEFT JOIN sandbox_idempotency i"
                     + " ON i.system = l.system AND i.idempotency_key = l.idempotency_key"
                     + " WHERE l.business_id = ? AND l.system = 'erp' ORDER BY l.seq")) {
            select.setString(1, reference);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String operation = rows.getString(2);
                    String key = rows.getString(3);
                    String invoiceId = invoiceId(rows.getString(4), "INV-L" + rows.getLong(1));
                    switch (operation) {
                        case "invoice.create" -> invoices.put(invoiceId, invoice(invoiceId, reference, "open", key));
                        case "invoice.cancel" -> invoices.computeIfAbsent(invoiceId,
                                id -> invoice(id, reference, "open", key)).put("status", "cancelled");
                        case "invoice.markPaid" -> invoices.computeIfAbsent(invoiceId,
                                id -> invoice(id, reference, "open", key)).put("status", "paid");
                        default -> {
                            // another ERP operation: no invoice of its own
                        }
                    }
                }
            }
        }
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        invoices.values().forEach(items::add);
        return answer;
    }

    private static ObjectNode invoice(String invoiceId, String reference, String status, String key) {
        return HttpAnswers.MAPPER.createObjectNode().put("invoiceId", invoiceId).put("reference", reference)
                .put("status", status).put("idempotencyKey", key);
    }

    /** The invoice id of a stored response, or the fallback for an entry without one. */
    private static String invoiceId(String responseBody, String fallback) {
        if (responseBody == null) {
            return fallback;
        }
        try {
            JsonNode id = HttpAnswers.MAPPER.readTree(responseBody).get("invoiceId");
            return id != null && id.isTextual() ? id.asText() : fallback;
        } catch (IOException unreadable) {
            return fallback;
        }
    }
}

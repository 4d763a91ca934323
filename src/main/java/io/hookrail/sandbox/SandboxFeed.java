package io.hookrail.sandbox;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookrail.ops.HttpAnswers;
import io.hookrail.store.SqlStates;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The ERP's feed of paid invoices, {@code /sandbox/erp/paid-invoices}: a system that cannot send webhooks, for a
 * polling source to page through. {@code POST} adds items (an object or an array of them, each given an {@code id}
 * when it has none); {@code GET ?after=<cursor>&limit=<n>} answers {@code {"items": [...], "nextCursor"}}, the items
 * after the cursor in the order they were added, the cursor being the last item's sequence number. Items are kept in
 * the store (table {@code sandbox_feed_item}), so every instance serves the same feed; a fault of operation
 * {@value #OPERATION} (or of the whole ERP) applies to GET.
 */
final class SandboxFeed {

    static final String PATH = "/sandbox/erp/paid-invoices";
    static final String SYSTEM = "erp";
    /** The feed's operation, for faults. */
    static final String OPERATION = "invoice.listPaid";
    private static final String FEED = "paid-invoices";
    static final int MAX_LIMIT = 500;
    private static final int MAX_ITEMS_PER_POST = 1000;

    private final DataSource dataSource;
    private final SandboxFaults faults;
    private final Clock clock;

    SandboxFeed(DataSource dataSource, SandboxFaults faults, Clock clock) {
        this.dataSource = dataSource;
        this.faults = faults;
        this.clock = clock;
    }

    void handle(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        if ("POST".equals(message.getHeader(Exchange.HTTP_METHOD, String.class))) {
            add(exchange);
        } else {
            faults.inflict(SYSTEM, OPERATION);
            page(exchange);
        }
    }

    private void page(Exchange exchange) throws SandboxRejection, SQLException {
        Message message = exchange.getMessage();
        long after = number(message.getHeader("after", String.class), "after", 0, Long.MAX_VALUE);
        int limit = (int) number(message.getHeader("limit", String.class), "limit", 100, MAX_LIMIT);
        if (limit == 0) {
            throw SandboxRejection.invalid("limit must be an integer from 1 to " + MAX_LIMIT);
        }
        ObjectNode answer = HttpAnswers.MAPPER.createObjectNode();
        ArrayNode items = answer.putArray("items");
        long last = after;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT seq, body FROM sandbox_feed_item"
                     + " WHERE feed = ? AND seq > ? ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY")) {
            select.setString(1, FEED);
            select.setLong(2, after);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    items.add(HttpAnswers.MAPPER.readTree(rows.getString(2)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a stored feed item is not JSON", e);
        }
        answer.put("nextCursor", String.valueOf(last));
        HttpAnswers.json(exchange, 200, answer.toString());
    }

    private void add(Exchange exchange) throws SandboxRejection, SQLException {
        JsonNode body;
        try {
            byte[] bytes = exchange.getMessage().getBody(byte[].class);
            body = bytes == null || bytes.length == 0 ? null : HttpAnswers.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw SandboxRejection.invalid("The body is not valid JSON");
        }
        ArrayNode items = HttpAnswers.MAPPER.createArrayNode();
        if (body != null && body.isObject()) {
            items.add(body);
        } else if (body != null && body.isArray() && body.size() <= MAX_ITEMS_PER_POST) {
            items.addAll((ArrayNode) body);
        } else {
            throw SandboxRejection.invalid("The body must be an item (a JSON object) or an array of at most "
                    + MAX_ITEMS_PER_POST);
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw SandboxRejection.invalid("Every item must be a JSON object");
            }
            if (!item.path("id").isTextual()) {
                ((ObjectNode) item).put("id", "ERP-PAID-" + UUID.randomUUID().toString().replace("-", "")
                        .substring(0, 12).toUpperCase(java.util.Locale.ROOT));
            }
        }
        long first = -1;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long seq = nextSeq(connection);
                first = seq;
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sandbox_feed_item"
                        + " (seq, feed, item_id, body, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    for (JsonNode item : items) {
                        insert.setLong(1, seq++);
                        insert.setString(2, FEED);
                        insert.setString(3, item.path("id").asText());
                        insert.setString(4, item.toString());
                        insert.setObject(5, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (SqlStates.isUniqueViolation(e)) {
                    throw SandboxRejection.invalid("An item id is in the feed already (or another POST took the same"
                            + " sequence numbers: send it again)");
                }
                throw e;
            }
        }
        HttpAnswers.json(exchange, 201, HttpAnswers.MAPPER.createObjectNode().put("added", items.size())
                .put("firstCursor", String.valueOf(first - 1)).toString());
    }

    private static long nextSeq(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM sandbox_feed_item WHERE feed = ?")) {
            select.setString(1, FEED);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long number(String value, String name, long defaultValue, long max) throws SandboxRejection {
        if (value == null || value.isEmpty()) {
            return defaultValue;
        }
        if (!value.matches("\\d{1,18}") || Long.parseLong(value) > max) {
            throw SandboxRejection.invalid(name + " must be an integer from 0 to " + max);
        }
        return Long.parseLong(value);
    }
}

package io.hookrail.flow;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookrail.audit.AuditTrail;
import io.hookrail.store.SqlStates;
import org.apache.camel.Exchange;

/**
 * Durable results of completed downstream steps, per flow run (table {@code flow_step}), so a compensation knows
 * what it undoes: the invoice id to cancel, the payment id to refund. Each recorded step is a mutating downstream
 * call and is written to the audit trail with it.
 */
public final class FlowSteps {

    /** Exchange property naming the step a downstream call performs, e.g. {@code invoice.create}. */
    public static final String STEP = "step";
    /** Exchange property naming the step a compensation undoes. */
    public static final String UNDOES = "undoes";
    /** Variable holding the recorded response of the step being undone. */
    public static final String DONE_VARIABLE = "done";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DataSource dataSource;
    private final FlowIdempotencyRepository keys;
    private final Clock clock;
    private final AuditTrail audit;

    public FlowSteps(DataSource dataSource, FlowIdempotencyRepository keys, Clock clock, AuditTrail audit) {
        this.dataSource = dataSource;
        this.keys = keys;
        this.clock = clock;
        this.audit = audit;
    }

    /**
     * Sets the saga attempt, the last part of every downstream Idempotency-Key. A redelivery after a crash repeats
     * the interrupted attempt, so its steps reuse their keys and nothing is done twice; a retry after a failed,
     * compensated attempt starts a fresh one, so it is not answered from the cancelled invoice's keys.
     */
    public void beginAttempt(Exchange exchange) throws SQLException {
        String key = exchange.getProperty(FlowContext.KEY, String.class);
        int stored = keys.attempt(key);
        boolean retryAfterFailure = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) > 0;
        exchange.setProperty(FlowContext.ATTEMPT,
                retryAfterFailure || wasCompensated(exchange, stored) ? keys.nextAttempt(key) : stored);
    }

    /**
     * Records the response body of the step just performed, and its audit entry, in one transaction. A repeat of the
     * same attempt and step (a redelivery, answered by the downstream from its idempotency memory) keeps the first
     * and is not audited again: it had no effect.
     */
    public void record(Exchange exchange) throws SQLException {
        String flow = exchange.getProperty(FlowContext.FLOW, String.class);
        String businessId = exchange.getProperty(FlowContext.BUSINESS_ID, String.class);
        int run = exchange.getProperty(FlowContext.RUN, Integer.class);
        int attempt = exchange.getProperty(FlowContext.ATTEMPT, 1, Integer.class);
        String step = exchange.getProperty(STEP, String.class);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO flow_step (flow, business_id, run, attempt, step, compensation, response, recorded_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, flow);
                insert.setString(2, businessId);
                insert.setInt(3, run);
                insert.setInt(4, attempt);
                insert.setString(5, step);
                insert.setBoolean(6, exchange.getProperty(UNDOES) != null);
                insert.setString(7, exchange.getMessage().getBody(String.class));
                insert.setObject(8, OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
                insert.executeUpdate();
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("step", step);
                detail.put("eventId", exchange.getProperty(FlowContext.EVENT_ID, String.class));
                detail.put("run", run);
                detail.put("attempt", attempt);
                detail.put("compensation", exchange.getProperty(UNDOES) != null);
                audit.append(connection, "flow:" + flow, "downstream.call", flow + "/" + businessId,
                        exchange.getProperty(FlowContext.CORRELATION_ID, String.class), detail);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                if (!SqlStates.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    /**
     * On a compensation exchange: restores the {@link FlowContext} and puts the response of the step named by
     * property {@value #UNDOES} in variable {@value #DONE_VARIABLE}; stops the route when that step never completed,
     * as there is nothing to undo.
     */
    public void recall(Exchange exchange) throws SQLException, IOException {
        FlowContext.restore(exchange);
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT response FROM flow_step WHERE flow = ? AND business_id = ? AND run = ? AND attempt = ? AND step = ?")) {
            select.setString(1, exchange.getProperty(FlowContext.FLOW, String.class));
            select.setString(2, exchange.getProperty(FlowContext.BUSINESS_ID, String.class));
            select.setInt(3, exchange.getProperty(FlowContext.RUN, Integer.class));
            select.setInt(4, exchange.getProperty(FlowContext.ATTEMPT, Integer.class));
            select.setString(5, exchange.getProperty(UNDOES, String.class));
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    exchange.setVariable(DONE_VARIABLE, MAPPER.readTree(row.getString(1)));
                } else {
                    exchange.setRouteStop(true);
                }
            }
        }
    }

    private boolean wasCompensated(Exchange exchange, int attempt) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM flow_step WHERE flow = ? AND business_id = ? AND run = ? AND attempt = ?"
                        + " AND compensation = TRUE")) {
            select.setString(1, exchange.getProperty(FlowContext.FLOW, String.class));
            select.setString(2, exchange.getProperty(FlowContext.BUSINESS_ID, String.class));
            select.setInt(3, exchange.getProperty(FlowContext.RUN, Integer.class));
            select.setInt(4, attempt);
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getInt(1) > 0;
            }
        }
    }
}

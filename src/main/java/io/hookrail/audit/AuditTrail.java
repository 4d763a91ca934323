package io.hookrail.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import io.hookrail.store.GroupCommit;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tamper-evident audit trail: an append-only SHA-256 hash chain of who did what to which subject, in table
 * {@code audit_entry} of the store (migration {@code V5__audit_trail.sql}). There is no way to change or remove an
 * entry through this class; {@link #verify()} finds an entry changed, inserted or deleted by other means.
 *
 * <h2>The chain</h2>
 * Entries are numbered {@code seq = 1, 2, 3, ...} without gaps, in chain order. Each entry stores the previous
 * entry's hash ({@code prev_hash}; 64 zeros, {@link #GENESIS_HASH}, for entry 1) and its own:
 * <pre>
 * hash = lowercase hex( SHA-256( UTF-8(
 *            prev_hash + "\n" +
 *            seq + "\n" +                      decimal, no sign or padding
 *            at + "\n" +                       ISO-8601 instant in UTC at millisecond precision:
 *                                               2026-11-23T10:00:00.000Z (always three fraction digits)
 *            actor + "\n" +
 *            action + "\n" +
 *            subject + "\n" +
 *            (correlation_id or "") + "\n" +
 *            detail ) ) )                     the stored canonical JSON text, byte for byte
 * </pre>
 * {@link #chainHash} is the one implementation of this formula. {@code at} is stored truncated to milliseconds, so
 * the stored value is exactly the hashed one. The fields are unambiguous: {@code actor}, {@code action},
 * {@code subject} and {@code correlation_id} may not contain control characters (so no line feed), and
 * {@code detail} is one-line ASCII JSON with sorted keys ({@link CanonicalDetail}).
 *
 * <h2>Concurrency</h2>
 * An append runs in its own transaction that first locks the single row of {@code audit_head}
 * ({@code SELECT ... FOR UPDATE}), takes the next seq and the previous hash from it, inserts the entry and moves
 * the head. Appends of every thread and of every Hookrail instance sharing the database therefore form one chain.
 * The head also records the newest entry, so entries deleted from the end of the chain are detected too.
 * Entries are ordered by {@code seq}; {@code at} is the appending instance's clock and only roughly ordered across
 * instances.
 * <p>
 * While the trail runs as a Camel service, appends in their own transaction (and {@link #record changes recorded
 * with their entry}) go through one {@link GroupCommit} writer: the appends of many threads that wait together are
 * committed in one transaction that locks and moves the head once, the entries taking consecutive seqs in one chain.
 * Each caller returns only once its own entry is committed. A batch that fails is tried again item by item, so one
 * bad change fails only its own caller.
 */
@ManagedResource(description = "Tamper-evident audit trail (SHA-256 hash chain)")
public final class AuditTrail extends ServiceSupport implements StaticService {

    /** The registry name of the bean. */
    public static final String BEAN = "auditTrail";
    /** The {@code prev_hash} of the first entry. */
    public static final String GENESIS_HASH = "0".repeat(64);

    static final int MAX_ACTOR = 128;
    static final int MAX_ACTION = 64;
    static final int MAX_SUBJECT = 255;
    static final int MAX_CORRELATION_ID = 128;
    static final int MAX_DETAIL = 65535;

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private static final DateTimeFormatter AT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String COLUMNS =
            "seq, at, actor, action, subject, correlation_id, detail, prev_hash, hash";
    private static final int MAX_APPEND_ATTEMPTS = 5;
    // lock timeout (H2), serialization failure and deadlock (both), MVStore concurrent update (H2), seq taken
    private static final Set<String> RETRYABLE_STATES = Set.of("HYT00", "40001", "40P01", "90131", "23505");
    private static final int FETCH_SIZE = 500;
    private static final int MAX_VERIFY_ROUNDS = 20;

    private static final long COMMIT_TIMEOUT_MILLIS = 30_000;

    /** A change of the store that is committed together with the audit entry that records it, or not at all. */
    @FunctionalInterface
    public interface Change {
        /** Makes the change in the transaction that appends its entry; nothing here may commit or roll back. */
        void apply(Connection transaction) throws SQLException;

        /** No change: the entry alone. */
        Change NONE = transaction -> {
        };
    }

    /** A change and its entry, waiting for the batch that commits them; its result is its failure, or null. */
    private record Recorded(Change change, Entry entry) {
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final int maxBatch;
    private final long lingerMicros;
    private volatile GroupCommit<Recorded, Exception> batches;

    /** A trail that appends each entry on its own until it is started, and in batches of up to 128 after. */
    public AuditTrail(DataSource dataSource, Clock clock) {
        this(dataSource, clock, 128, 0);
    }

    /**
     * @param maxBatch     the most entries (with their changes) one batch commits
     * @param lingerMicros how long a batch waits for more after its first entry; 0: it takes what is waiting
     */
    public AuditTrail(DataSource dataSource, Clock clock, int maxBatch, long lingerMicros) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxBatch = maxBatch;
        this.lingerMicros = lingerMicros;
    }

    @Override
    protected void doStart() throws Exception {
        GroupCommit<Recorded, Exception> group = new GroupCommit<>("audit-trail-writer", maxBatch, lingerMicros,
                GroupCommit.eachFailingAlone("audit entries", this::commitTogether, this::commitAlone));
        group.start();
        batches = group;
    }

    @Override
    protected void doStop() throws Exception {
        GroupCommit<Recorded, Exception> group = batches;
        batches = null;
        if (group != null) {
            group.stop();
        }
    }

    /**
     * Appends one entry in its own transaction.
     *
     * @param actor         who: a user name, {@code system} or {@code flow:<name>} (up to 128 characters)
     * @param action        what, e.g. {@code approval.approved} (up to 64)
     * @param subject       to what, e.g. an event id or business id (up to 255)
     * @param correlationId the request's or event's correlation id; may be null (up to 128)
     * @param detail        more facts, stored as canonical JSON (up to 65535 characters); null is {@code {}}
     * @throws IllegalArgumentException an argument missing, too long, with control characters, or not JSON
     * @throws IllegalStateException    the store failed; nothing was appended
     */
    public void append(String actor, String action, String subject, String correlationId, Map<String, ?> detail) {
        Entry entry = Entry.of(actor, action, subject, correlationId, detail);
        try {
            record(Change.NONE, entry);
        } catch (SQLException e) {
            throw new IllegalStateException("audit trail store unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Commits the change and the entry that records it in one transaction, batched with the changes and entries of
     * other threads while the trail runs; returns once they are committed.
     *
     * @throws SQLException the store failed, or the change did: neither the change nor the entry was committed
     */
    public void record(Change change, Entry entry) throws SQLException {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(entry, "entry");
        GroupCommit<Recorded, Exception> group = batches;
        if (group == null) {
            GroupCommit.throwIfFailed(commitAlone(new Recorded(change, entry)));
        } else {
            // a timeout: the batch may still commit; the caller treats it as a failed write
            GroupCommit.submitOrThrow(group, new Recorded(change, entry), COMMIT_TIMEOUT_MILLIS, "audit trail batch");
        }
    }

    /** How many appends wait for the writer now (0 when the trail does not batch). */
    int waitingToCommit() {
        GroupCommit<Recorded, Exception> group = batches;
        return group == null ? 0 : group.waiting();
    }

    /** The batch in one transaction: the changes, then their entries under one lock of the head. */
    private void commitTogether(List<Recorded> batch) throws SQLException {
        inTransaction(connection -> {
            for (Recorded recorded : batch) {
                recorded.change().apply(connection);
            }
            appendIn(connection, batch.stream().map(Recorded::entry).toList());
        });
    }

    /** One change and its entry in a transaction of their own, tried again after a concurrent append; the failure. */
    private Exception commitAlone(Recorded recorded) {
        for (int attempt = 1; ; attempt++) {
            try {
                inTransaction(connection -> {
                    recorded.change().apply(connection);
                    appendIn(connection, List.of(recorded.entry()));
                });
                return null;
            } catch (SQLException e) {
                if (attempt >= MAX_APPEND_ATTEMPTS || !RETRYABLE_STATES.contains(e.getSQLState())) {
                    return e;
                }
                LOG.debug("Audit append attempt {} met a concurrent append ({}); trying again", attempt,
                        e.getSQLState());
                pause(attempt);
            } catch (RuntimeException e) {
                return e;
            }
        }
    }

    private void inTransaction(Change work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                work.apply(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /**
     * Appends one entry inside the caller's transaction, so that the entry and the change it records commit
     * together or not at all. The caller commits; until then, other appends wait on the chain's head.
     *
     * @throws SQLException the store failed; the caller rolls back
     */
    public void append(Connection transaction, String actor, String action, String subject, String correlationId,
                       Map<String, ?> detail) throws SQLException {
        appendIn(transaction, List.of(Entry.of(actor, action, subject, correlationId, detail)));
    }

    /**
     * Appends the entries, in their order, inside the caller's transaction: one lock and one move of the chain's
     * head for all of them. The caller commits; until then, other appends wait on the head.
     *
     * @throws SQLException the store failed; the caller rolls back
     */
    public void append(Connection transaction, List<Entry> entries) throws SQLException {
        appendIn(transaction, entries);
    }

    /** A validated entry, before it has a place in the chain ({@link #of}). */
    public record Entry(String actor, String action, String subject, String correlationId, String detail) {

        /**
         * Checks the fields as {@link AuditTrail#append(String, String, String, String, Map)} does.
         *
         * @throws IllegalArgumentException an argument missing, too long, with control characters, or not JSON
         */
        public static Entry of(String actor, String action, String subject, String correlationId, Map<String, ?> detail) {
            String json = CanonicalDetail.of(detail);
            if (json.length() > MAX_DETAIL) {
                throw new IllegalArgumentException("audit detail is " + json.length() + " characters of JSON; at most "
                        + MAX_DETAIL + " fit");
            }
            return new Entry(text("actor", actor, MAX_ACTOR, true), text("action", action, MAX_ACTION, true),
                    text("subject", subject, MAX_SUBJECT, true),
                    text("correlationId", correlationId, MAX_CORRELATION_ID, false), json);
        }
    }

    private void appendIn(Connection connection, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        long lastSeq;
        String lastHash;
        try (PreparedStatement lock = connection.prepareStatement(
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE");
             ResultSet head = lock.executeQuery()) {
            if (!head.next()) {
                throw new IllegalStateException("audit_head has no row: the audit trail is not migrated");
            }
            lastSeq = head.getLong(1);
            lastHash = head.getString(2);
        }
        // read under the lock: on one clock, at follows seq
        Instant at = Instant.now(clock).truncatedTo(ChronoUnit.MILLIS);
        long seq = lastSeq;
        String hash = lastHash;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_entry (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Entry entry : entries) {
                String prevHash = hash;
                seq++;
                hash = chainHash(prevHash, seq, at, entry.actor(), entry.action(), entry.subject(),
                        entry.correlationId(), entry.detail());
                insert.setLong(1, seq);
                insert.setObject(2, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                insert.setString(3, entry.actor());
                insert.setString(4, entry.action());
                insert.setString(5, entry.subject());
                insert.setString(6, entry.correlationId());
                insert.setString(7, entry.detail());
                insert.setString(8, prevHash);
                insert.setString(9, hash);
                insert.addBatch();
                LOG.debug("Audit entry {}: {} {} {}", seq, entry.actor(), entry.action(), entry.subject());
            }
            insert.executeBatch();
        }
        try (PreparedStatement move = connection.prepareStatement(
                "UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1 AND last_seq = ?")) {
            move.setLong(1, seq);
            move.setString(2, hash);
            move.setLong(3, lastSeq);
            if (move.executeUpdate() != 1) {
                throw new SQLException("audit_head moved during the append", "40001");
            }
        }
    }

    /** One page of entries matching the query, newest (highest seq) first, with the total that match. */
    public AuditPage list(AuditQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> parameters = new ArrayList<>();
        if (query.actor() != null) {
            where.append(" AND actor = ?");
            parameters.add(query.actor());
        }
        if (query.action() != null) {
            where.append(" AND action = ?");
            parameters.add(query.action());
        }
        if (query.subject() != null) {
            where.append(" AND subject = ?");
            parameters.add(query.subject());
        }
        if (query.from() != null) {
            where.append(" AND at >= ?");
            parameters.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            where.append(" AND at < ?");
            parameters.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_entry" + where)) {
                bind(count, parameters);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<AuditEntry> items = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM audit_entry"
                    + where + " ORDER BY seq DESC OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                bind(select, parameters);
                select.setLong(parameters.size() + 1, (long) query.page() * query.size());
                select.setInt(parameters.size() + 2, query.size());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        items.add(entry(rows));
                    }
                }
            }
            return new AuditPage(items, query.page(), query.size(), total);
        } catch (SQLException e) {
            throw new IllegalStateException("audit trail store unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Recomputes the chain from entry 1: every seq follows the previous one, every {@code prev_hash} is the previous
     * entry's hash, every hash matches its entry, and {@code audit_head} records the newest entry. Answers the first
     * entry where that fails: a deleted entry by its own (missing) seq, a changed one by its seq.
     */
    public AuditVerification verify() {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            // PostgreSQL streams a result with a fetch size only inside a transaction
            connection.setAutoCommit(false);
            try {
                AuditVerification result = verify(connection);
                connection.commit();
                if (!result.valid()) {
                    LOG.warn("Audit trail broken at entry {}: {}", result.firstBrokenSeq(), result.problem());
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit trail store unavailable: " + e.getMessage(), e);
        }
    }

    private static AuditVerification verify(Connection connection) throws SQLException {
        ChainScan scan = new ChainScan();
        scan.readAfter(connection);
        // the head is read after the entries: entries appended meanwhile are read in further rounds
        for (int round = 1; scan.broken == null; round++) {
            long headSeq;
            String headHash;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT last_seq, last_hash FROM audit_head WHERE id = 1");
                 ResultSet head = select.executeQuery()) {
                if (!head.next()) {
                    return AuditVerification.broken(scan.count, scan.lastSeq + 1, "head mismatch: audit_head has no row");
                }
                headSeq = head.getLong(1);
                headHash = head.getString(2);
            }
            if (headSeq == scan.lastSeq) {
                if (!Objects.equals(headHash, scan.lastHash)) {
                    return AuditVerification.broken(scan.count, Math.max(1, scan.lastSeq), "head mismatch: audit_head "
                            + "records another hash for the newest entry " + scan.lastSeq);
                }
                return AuditVerification.intact(scan.count);
            }
            if (headSeq < scan.lastSeq) {
                return AuditVerification.broken(scan.count, headSeq + 1, "head mismatch: entry " + (headSeq + 1)
                        + " is not recorded in audit_head, whose newest entry is " + headSeq);
            }
            if (round > MAX_VERIFY_ROUNDS) {
                // appends keep coming: what was read is intact
                return AuditVerification.intact(scan.count);
            }
            if (scan.readAfter(connection) == 0) {
                long missing = scan.lastSeq + 1;
                return AuditVerification.broken(scan.count, missing, "seq gap: entr"
                        + (missing == headSeq ? "y " + missing + " is" : "ies " + missing + " to " + headSeq + " are")
                        + " missing (audit_head records " + headSeq + " as the newest)");
            }
        }
        return AuditVerification.broken(scan.count, scan.brokenSeq, scan.broken);
    }

    /** Reads entries in seq order, checking each against the one before. */
    private static final class ChainScan {
        long count;
        long lastSeq;
        String lastHash = GENESIS_HASH;
        long brokenSeq;
        String broken;

        /** Reads the entries after the last one read; returns how many. */
        int readAfter(Connection connection) throws SQLException {
            int read = 0;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM audit_entry WHERE seq > ? ORDER BY seq")) {
                select.setFetchSize(FETCH_SIZE);
                select.setLong(1, lastSeq);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        read++;
                        count++;
                        if (broken == null) {
                            check(entry(rows));
                        }
                    }
                }
            }
            return read;
        }

        private void check(AuditEntry entry) {
            long expected = lastSeq + 1;
            if (entry.seq() != expected) {
                fail(expected, "seq gap: expected entry " + expected + ", found " + entry.seq());
            } else if (!Objects.equals(entry.prevHash(), lastHash)) {
                fail(entry.seq(), "prev_hash mismatch: prev_hash of entry " + entry.seq() + " is not the hash of "
                        + (expected == 1 ? "the chain's start (64 zeros)" : "entry " + lastSeq));
            } else if (entry.at() == null || entry.at().getNano() % 1_000_000 != 0) {
                fail(entry.seq(), "hash mismatch: at of entry " + entry.seq() + " is not the hashed millisecond");
            } else if (!chainHash(entry.prevHash(), entry.seq(), entry.at(), entry.actor(), entry.action(),
                    entry.subject(), entry.correlationId(), entry.detail()).equals(entry.hash())) {
                fail(entry.seq(), "hash mismatch: the content of entry " + entry.seq() + " does not match its hash");
            }
            lastSeq = entry.seq();
            lastHash = entry.hash();
        }

        private void fail(long seq, String problem) {
            brokenSeq = seq;
            broken = problem;
        }
    }

    /**
     * The hash of an entry: lowercase hex SHA-256 of the UTF-8 bytes of
     * {@code prev_hash \n seq \n at \n actor \n action \n subject \n (correlation_id or "") \n detail}, with
     * {@code at} as {@link #formatInstant}. The only implementation of the formula in the class comment.
     */
    public static String chainHash(String prevHash, long seq, Instant at, String actor, String action, String subject,
                                   String correlationId, String detail) {
        String input = orEmpty(prevHash) + "\n" + seq + "\n" + formatInstant(at) + "\n" + orEmpty(actor) + "\n"
                + orEmpty(action) + "\n" + orEmpty(subject) + "\n" + orEmpty(correlationId) + "\n" + orEmpty(detail);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** An instant as the chain hashes and the API shows it: UTC, always milliseconds, e.g. 2026-11-23T10:00:00.000Z. */
    public static String formatInstant(Instant at) {
        return AT_FORMAT.format(at);
    }

    @ManagedAttribute(description = "Number of entries in the audit trail")
    public long getEntryCount() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM audit_entry");
             ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("audit trail store unavailable: " + e.getMessage(), e);
        }
    }

    @ManagedAttribute(description = "Seq of the newest entry, as audit_head records it")
    public long getLastSeq() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT last_seq FROM audit_head WHERE id = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : -1;
        } catch (SQLException e) {
            throw new IllegalStateException("audit trail store unavailable: " + e.getMessage(), e);
        }
    }

    /** {@link #verify()} for JMX (Hawtio): the verification as JSON text. */
    @ManagedOperation(description = "Recompute the hash chain: {\"valid\":true,\"entries\":n}, or the first broken"
            + " entry's seq and why")
    public String verifyChain() {
        return verify().toJson().toString();
    }

    private static AuditEntry entry(ResultSet rows) throws SQLException {
        OffsetDateTime at = rows.getObject(2, OffsetDateTime.class);
        return new AuditEntry(rows.getLong(1), at == null ? null : at.toInstant(), rows.getString(3),
                rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                rows.getString(9));
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    /**
     * Checks a text field: required ones not blank, within the column's length, and without control characters or
     * unpaired surrogates (a line feed would blur the hash input's fields; an unpaired surrogate cannot be stored
     * as UTF-8). An optional empty value is null.
     */
    static String text(String name, String value, int maxLength, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("audit " + name + " is required");
            }
            return null;
        }
        if (required && value.isBlank()) {
            throw new IllegalArgumentException("audit " + name + " must not be blank");
        }
        if (value.length() > maxLength) {
            throw new IllegalArgumentException("audit " + name + " is longer than " + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("audit " + name + " must not contain control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("audit " + name + " has an unpaired surrogate character");
            }
        }
        return value;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while appending to the audit trail", e);
        }
    }

    @Override
    public String toString() {
        return "AuditTrail";
    }
}

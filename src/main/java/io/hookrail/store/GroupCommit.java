package io.hookrail.store;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: callers on many threads each {@link #submit} one item and wait; one writer thread takes the items
 * waiting (at most {@code maxBatch}, lingering up to {@code linger} for more after the first) and commits them
 * together with one {@link BatchWriter#write} call, so the batch pays one durable sync instead of one per item. Each
 * caller gets its own item's result once the batch that holds it is durable, or the batch's failure.
 * <p>
 * While the writer commits one batch, the next fills up: under load, batches grow to the number of waiting callers
 * without any linger; at low load a lone item waits at most {@code linger}.
 *
 * @param <T> what a caller submits
 * @param <R> what it gets back
 */
public final class GroupCommit<T, R> extends ServiceSupport {

    /** Commits every item of a batch in one transaction, or none of them (and throws). */
    @FunctionalInterface
    public interface Together<T> {
        void write(List<T> batch) throws Exception;
    }

    /** Commits one item on its own; returns its failure, or null. */
    @FunctionalInterface
    public interface Alone<T> {
        Exception write(T item);
    }

    /** Commits one batch; the results are in the order of the items. */
    @FunctionalInterface
    public interface BatchWriter<T, R> {
        List<R> write(List<T> batch) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    /** An item from its submission on: waiting, then taken into a batch by the writer or abandoned by its caller. */
    private record Pending<T, R>(T item, CompletableFuture<R> result, AtomicInteger state) {
        static final int WAITING = 0;
        static final int TAKEN = 1;
        static final int ABANDONED = 2;
    }

    private final String name;
    private final int maxBatch;
    private final long lingerNanos;
    private final BatchWriter<T, R> writer;
    private final BlockingQueue<Pending<T, R>> waiting = new LinkedBlockingQueue<>();
    private final AtomicLong batches = new AtomicLong();
    private volatile Thread thread;

    public GroupCommit(String name, int maxBatch, long lingerMicros, BatchWriter<T, R> writer) {
        if (maxBatch < 1 || lingerMicros < 0) {
            throw new IllegalArgumentException("maxBatch must be at least 1 and linger not negative");
        }
        this.name = Objects.requireNonNull(name, "name");
        this.maxBatch = maxBatch;
        this.lingerNanos = TimeUnit.MICROSECONDS.toNanos(lingerMicros);
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /**
     * Submits one item and waits until the batch holding it is committed.
     * <p>
     * When the timeout passes, an item still waiting is abandoned (never written) and the caller gets a
     * {@link TimeoutException}. An item the writer has already taken into a batch is not abandoned, since that batch may
     * commit it: the caller waits for the batch's outcome, at most the timeout once more, and only then gets a
     * {@link TimeoutException} whose item may or may not have been committed.
     *
     * @param timeoutMillis how long to wait at most for a batch to take the item (and then for that batch)
     * @return the item's result
     * @throws Exception the batch's failure, or a {@link TimeoutException}
     */
    public R submit(T item, long timeoutMillis) throws Exception {
        if (thread == null) {
            throw new IllegalStateException(name + " is not started");
        }
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>(), new AtomicInteger(Pending.WAITING));
        waiting.add(pending);
        try {
            try {
                return pending.result().get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (pending.state().compareAndSet(Pending.WAITING, Pending.ABANDONED)) {
                    throw e;
                }
                return pending.result().get(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * A writer whose result for each item is the item's own failure (null: written): a batch of more than one goes in
     * one transaction; when that fails, each item goes alone, so only the item at fault fails.
     *
     * @param what the items, for the log line of a failed batch ("step intents")
     */
    public static <T> BatchWriter<T, Exception> eachFailingAlone(String what, Together<T> together, Alone<T> alone) {
        return batch -> {
            List<Exception> results = new ArrayList<>(batch.size());
            if (batch.size() > 1) {
                try {
                    together.write(batch);
                    batch.forEach(item -> results.add(null));
                    return results;
                } catch (Exception e) {
                    LOG.debug("A batch of {} {} failed ({}); writing them one by one", batch.size(), what,
                            e.getMessage());
                }
            }
            batch.forEach(item -> results.add(alone.write(item)));
            return results;
        };
    }

    /**
     * For a writer that answers each item with the item's own failure (null: written): submits the item and throws
     * that failure, an {@link SQLException} or unchecked exception as it is. A timeout becomes an SQLException (state
     * 08000) whose item may still be committed.
     *
     * @param what the item, for the timeout's message ("step intent")
     */
    public static <T> void submitOrThrow(GroupCommit<T, Exception> group, T item, long timeoutMillis, String what)
            throws SQLException {
        Exception failure;
        try {
            failure = group.submit(item, timeoutMillis);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(what + " not committed: " + e.getMessage(), "08000", e);
        }
        throwIfFailed(failure);
    }

    /** Throws an item's own failure (see {@link #submitOrThrow}); nothing when it is null. */
    public static void throwIfFailed(Exception failure) throws SQLException {
        if (failure instanceof SQLException sql) {
            throw sql;
        }
        if (failure instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
    }

    /** How many batches the writer has begun to write (each one {@link BatchWriter#write} call). */
    public long batches() {
        return batches.get();
    }

    /** How many items wait for a batch now (the writer's backlog). */
    public int waiting() {
        return waiting.size();
    }

    @Override
    protected void doStart() {
        thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
            running.join(10_000);
        }
        // nobody waits forever on a batch that will not come
        List<Pending<T, R>> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(pending -> pending.result().completeExceptionally(new IllegalStateException(name + " stopped")));
    }

    private void run() {
        List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
        while (thread != null) {
            try {
                batch.add(waiting.take());
                gather(batch);
            } catch (InterruptedException e) {
                batch.forEach(pending -> pending.result().completeExceptionally(new IllegalStateException(name + " stopped")));
                return;
            }
            commit(batch);
            batch.clear();
        }
    }

    private void gather(List<Pending<T, R>> batch) throws InterruptedException {
        waiting.drainTo(batch, maxBatch - batch.size());
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Pending<T, R> next = waiting.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
            waiting.drainTo(batch, maxBatch - batch.size());
        }
    }

    private void commit(List<Pending<T, R>> batch) {
        // taken from here on: the callers that gave up before are left out
        batch.removeIf(pending -> !pending.state().compareAndSet(Pending.WAITING, Pending.TAKEN));
        if (batch.isEmpty()) {
            return;
        }
        batches.incrementAndGet();
        List<R> results;
        try {
            results = writer.write(items(batch));
            if (results.size() != batch.size()) {
                throw new IllegalStateException(name + " wrote " + results.size() + " results for " + batch.size() + " items");
            }
        } catch (Exception | Error e) {
            LOG.debug("{}: a batch of {} failed: {}", name, batch.size(), e.getMessage());
            Exception failure = e instanceof Exception exception ? exception : new IllegalStateException(e);
            batch.forEach(pending -> pending.result().completeExceptionally(failure));
            if (e instanceof Error error && !(e instanceof AssertionError)) {
                throw error;
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
    }

    private List<T> items(List<Pending<T, R>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(pending -> items.add(pending.item()));
        return items;
    }
}

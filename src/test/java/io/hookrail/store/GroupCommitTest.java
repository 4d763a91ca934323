package io.hookrail.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupCommitTest {

    @Test
    void callersWaitingTogetherShareOneBatchAndEachGetsItsOwnResult() throws Exception {
        CountDownLatch firstBatchEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, String> commit = new GroupCommit<>("test-commit", 128, 0, batch -> {
            batches.add(List.copyOf(batch));
            firstBatchEntered.countDown();
            release.await(10, TimeUnit.SECONDS); // the first batch holds the writer while the rest queue up
            return batch.stream().map(i -> "r" + i).toList();
        });
        commit.start();
        ExecutorService callers = Executors.newFixedThreadPool(11);
        try {
            Future<String> first = callers.submit(() -> commit.submit(0, 10_000));
            assertTrue(firstBatchEntered.await(10, TimeUnit.SECONDS));
            List<Future<String>> rest = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int item = i;
                rest.add(callers.submit(() -> commit.submit(item, 10_000)));
            }
            while (queued(commit) < 10) {
                Thread.onSpinWait();
            }
            release.countDown();
            assertEquals("r0", first.get());
            for (int i = 1; i <= 10; i++) {
                assertEquals("r" + i, rest.get(i - 1).get());
            }
            assertEquals(2, batches.size());
            assertEquals(java.util.Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), java.util.Set.copyOf(batches.get(1)));
        } finally {
            callers.shutdownNow();
            commit.stop();
        }
    }

    @Test
    void aFailedBatchFailsEveryCallerInIt() throws Exception {
        GroupCommit<Integer, String> commit = new GroupCommit<>("test-commit", 4, 0, batch -> {
            throw new java.sql.SQLException("disk full");
        });
        commit.start();
        try {
            Exception failure = assertThrows(java.sql.SQLException.class, () -> commit.submit(1, 10_000));
            assertEquals("disk full", failure.getMessage());
        } finally {
            commit.stop();
        }
    }

    @Test
    void aBatchIsNeverLargerThanItsBound() throws Exception {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 3, 1000, batch -> {
            sizes.add(batch.size());
            return batch;
        });
        commit.start();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int item = i;
                results.add(callers.submit(() -> commit.submit(item, 10_000)));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i, results.get(i).get());
            }
            assertTrue(sizes.stream().allMatch(size -> size >= 1 && size <= 3), sizes::toString);
            assertEquals(40, sizes.stream().mapToInt(Integer::intValue).sum());
        } finally {
            callers.shutdownNow();
            commit.stop();
        }
    }

    @Test
    void anItemWhoseCallerGaveUpBeforeABatchTookItIsNeverWritten() throws Exception {
        CountDownLatch firstBatchEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> written = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 8, 0, batch -> {
            written.addAll(batch);
            firstBatchEntered.countDown();
            release.await(10, TimeUnit.SECONDS);
            return batch;
        });
        commit.start();
        ExecutorService callers = Executors.newFixedThreadPool(1);
        try {
            Future<Integer> first = callers.submit(() -> commit.submit(1, 10_000));
            assertTrue(firstBatchEntered.await(10, TimeUnit.SECONDS));
            // the writer is held on the first batch: the second item cannot be taken before its caller gives up
            assertThrows(java.util.concurrent.TimeoutException.class, () -> commit.submit(2, 1));
            release.countDown();
            assertEquals(1, first.get());
            assertEquals(3, commit.submit(3, 10_000));
            assertEquals(List.of(1, 3), written);
            assertEquals(2, commit.batches());
        } finally {
            callers.shutdownNow();
            commit.stop();
        }
    }

    @Test
    void submittingBeforeStartIsRefused() throws Exception {
        GroupCommit<Integer, Integer> commit = new GroupCommit<>("test-commit", 3, 0, batch -> batch);
        Exception refused = assertThrows(IllegalStateException.class, () -> commit.submit(1, 100));
        assertTrue(refused.getMessage().contains("not started"));
    }

    private static int queued(GroupCommit<?, ?> commit) {
        return commit.waiting();
    }
}

package io.github.nsqspring.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HandlerWorkers} with a given executor that rejects its workers. */
class HandlerWorkersTests {

	private static final Executor REJECTING = (task) -> {
		throw new RejectedExecutionException("shut down");
	};

	@Test
	void workersRejectedByTheGivenExecutorRunOnThreadsOfTheRunsOwnNeverOnTheDeliveringThread() throws Exception {
		List<String> threads = new CopyOnWriteArrayList<>();
		CountDownLatch handled = new CountDownLatch(3);
		HandlerWorkers<String> workers = new HandlerWorkers<>("orders", 2, REJECTING, (item, slot) -> {
			threads.add(Thread.currentThread().getName());
			handled.countDown();
		});
		try {
			workers.handle("a");
			workers.handle("b");
			workers.handle("c");
			assertThat(handled.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(threads).hasSize(3).allSatisfy((name) -> assertThat(name).startsWith("nsq-orders-"))
				.doesNotContain(Thread.currentThread().getName());
		}
		finally {
			workers.close();
		}
	}

	@Test
	void afterCloseARejectedWorkerLeavesItsItemQueuedForTheDrain() {
		List<String> handled = new CopyOnWriteArrayList<>();
		HandlerWorkers<String> workers = new HandlerWorkers<>("orders", 1, REJECTING, (item, slot) -> handled.add(item));
		workers.close();
		workers.handle("late");
		assertThat(handled).isEmpty();
		assertThat(workers.takeQueued()).containsExactly("late");
	}

}

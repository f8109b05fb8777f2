package com.sproutsocial.nsq;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared scheduler's periodic tasks with a check made on the timer thread. */
class ClientSchedulerTests {

	private final ClientScheduler scheduler = new ClientScheduler();

	@AfterEach
	void shutdown() throws InterruptedException {
		this.scheduler.shutdown();
		assertThat(this.scheduler.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void periodicTaskRunsOnlyInTurnsItsCheckAllows() throws InterruptedException {
		AtomicBoolean due = new AtomicBoolean();
		AtomicInteger checks = new AtomicInteger();
		AtomicInteger runs = new AtomicInteger();
		ScheduledFuture<?> future = this.scheduler.scheduleAtFixedRate(runs::incrementAndGet, () -> {
			checks.incrementAndGet();
			return due.get();
		}, 5, 5, TimeUnit.MILLISECONDS);
		await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() >= 10);
		assertThat(runs).hasValue(0);
		due.set(true);
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
		due.set(false);
		Thread.sleep(50);
		int runsWhenOff = runs.get();
		int checksWhenOff = checks.get();
		await().atMost(Duration.ofSeconds(5)).until(() -> checks.get() >= checksWhenOff + 5);
		// a turn allowed just before the switch may still have been running
		assertThat(runs.get()).isLessThanOrEqualTo(runsWhenOff + 1);
		future.cancel(false);
	}

	@Test
	void checkThatFailsCountsAsDue() {
		AtomicInteger runs = new AtomicInteger();
		this.scheduler.scheduleAtFixedRate(runs::incrementAndGet, () -> {
			throw new IllegalStateException("check failed");
		}, 5, 5, TimeUnit.MILLISECONDS);
		// the timer keeps the task's turns: a failure escaping to it would cancel them
		await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 3);
	}

}

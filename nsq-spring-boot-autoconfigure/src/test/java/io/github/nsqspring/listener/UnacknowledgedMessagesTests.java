package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.listener.NsqListenerContainerTests.FakeMessage;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tracking of unacknowledged messages on handler threads, on other threads, and across both. */
class UnacknowledgedMessagesTests {

	private final HandlerPool executor = new HandlerPool("tracking", 2, (message) -> {
	});

	private final UnacknowledgedMessages tracked = new UnacknowledgedMessages(this.executor);

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	private DeliveredMessage message() {
		return new DeliveredMessage(new FakeMessage("x".getBytes(), 1), "c", (message, outcome) -> this.tracked.acknowledged(message),
				Observation.NOOP);
	}

	private void onHandlerThread(Runnable handler) throws Exception {
		this.executor.submit(handler).get(5, TimeUnit.SECONDS);
	}

	@Test
	void messageOnAHandlerThreadIsTrackedWithThatThreadUntilItsOutcome() throws Exception {
		DeliveredMessage message = message();
		Map<DeliveredMessage, Thread> seen = new HashMap<>();
		onHandlerThread(() -> {
			this.tracked.handlerStarting(message);
			this.tracked.forEach(seen::put);
			message.complete(MessageOutcome.FINISHED);
			this.tracked.handlerEnded(message);
		});
		assertThat(seen).hasSize(1);
		assertThat(seen.get(message)).isInstanceOf(HandlerThread.class);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(message.isDetached()).as("a message finished by its handler never reaches the shared set").isFalse();
	}

	@Test
	void messageHandledInsideAnotherHandlerGivesTheThreadBackToTheOuterMessage() throws Exception {
		DeliveredMessage outer = message();
		DeliveredMessage inner = message();
		Map<DeliveredMessage, Thread> seen = new HashMap<>();
		onHandlerThread(() -> {
			this.tracked.handlerStarting(outer);
			// as when the outer handler helps its pool run queued work (ForkJoinTask.helpQuiesce)
			this.tracked.handlerStarting(inner);
			inner.complete(MessageOutcome.FINISHED);
			this.tracked.handlerEnded(inner);
			this.tracked.forEach(seen::put);
			outer.complete(MessageOutcome.FINISHED);
			this.tracked.handlerEnded(outer);
		});
		assertThat(seen).containsOnlyKeys(outer);
		assertThat(seen.get(outer)).isInstanceOf(HandlerThread.class);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
	}

	@Test
	void messageLeftUnacknowledgedByItsHandlerStaysTrackedWithoutAThread() throws Exception {
		DeliveredMessage message = message();
		onHandlerThread(() -> {
			this.tracked.handlerStarting(message);
			this.tracked.handlerEnded(message);
		});
		Map<DeliveredMessage, Thread> seen = new HashMap<>();
		this.tracked.forEach(seen::put);
		assertThat(seen).containsOnlyKeys(message);
		assertThat(seen.get(message)).isNull();
		message.requeue(Duration.ZERO);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
	}

	@Test
	void messageTakenOnAnotherThreadIsTrackedUntilItsOutcome() {
		DeliveredMessage message = message();
		this.tracked.handlerStarting(message);
		assertThat(this.tracked.size()).isEqualTo(1);
		message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
		this.tracked.handlerEnded(message);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
	}

	@Test
	void trackerWithoutAnExecutorTracksOnTheSharedSet() {
		UnacknowledgedMessages beforeStart = new UnacknowledgedMessages(null);
		DeliveredMessage message = new DeliveredMessage(new FakeMessage("x".getBytes(), 1), "c",
				(delivered, outcome) -> beforeStart.acknowledged(delivered), Observation.NOOP);
		beforeStart.handlerStarting(message);
		assertThat(beforeStart.size()).isEqualTo(1);
		message.finish();
		assertThat(beforeStart.isEmpty()).isTrue();
		assertThat(beforeStart.size()).isZero();
	}

	@Test
	void outcomeRacingTheEndOfItsHandlerLeavesNothingBehind() throws Exception {
		ExecutorService acknowledgers = Executors.newFixedThreadPool(2);
		try {
			List<Future<?>> handlers = new ArrayList<>();
			for (int i = 0; i < 20_000; i++) {
				DeliveredMessage message = message();
				handlers.add(this.executor.submit(() -> {
					this.tracked.handlerStarting(message);
					// manual acknowledgement from another thread, at about the time the handler returns
					CountDownLatch handedOver = new CountDownLatch(1);
					acknowledgers.execute(() -> {
						handedOver.countDown();
						message.finish();
					});
					awaitQuietly(handedOver);
					this.tracked.handlerEnded(message);
				}));
			}
			for (Future<?> handler : handlers) {
				handler.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			acknowledgers.shutdown();
			assertThat(acknowledgers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(this.tracked.isEmpty()).as("messages finished by another thread still tracked").isTrue();
	}

	@Test
	void messageMovingFromItsThreadToTheSharedSetIsNeverMissed() throws Exception {
		AtomicInteger started = new AtomicInteger();
		AtomicInteger missed = new AtomicInteger();
		AtomicInteger looks = new AtomicInteger();
		Thread observer = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				int atLeast = started.get();
				if (this.tracked.size() < atLeast) {
					missed.incrementAndGet();
				}
				looks.incrementAndGet();
			}
		});
		observer.start();
		try {
			List<Future<?>> handlers = new ArrayList<>();
			for (int i = 0; i < 2_000; i++) {
				DeliveredMessage message = message();
				// manual acknowledgement that never comes: every message stays unacknowledged
				handlers.add(this.executor.submit(() -> {
					this.tracked.handlerStarting(message);
					started.incrementAndGet();
					this.tracked.handlerEnded(message);
				}));
			}
			for (Future<?> handler : handlers) {
				handler.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			observer.interrupt();
			observer.join(5000);
		}
		assertThat(looks.get()).isPositive();
		assertThat(missed).as("times the unacknowledged messages were counted short").hasValue(0);
		assertThat(this.tracked.size()).isEqualTo(2_000);
	}

	@Test
	void poolNeverRunsMoreThreadsThanItsConcurrencyAndGivesBackQueuedMessages() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		HandlerPool pool = new HandlerPool("bounded", 2, (message) -> {
			running.incrementAndGet();
			// a blocked join must not make the pool add a thread
			CompletableFuture.runAsync(() -> awaitQuietly(release)).join();
		});
		for (int i = 0; i < 10; i++) {
			pool.handle(new FakeMessage(("m" + i).getBytes(), 1));
		}
		await().until(() -> running.get() == 2);
		Thread.sleep(200);
		assertThat(pool.handlerThreads()).hasSize(2);
		assertThat(running).hasValue(2);
		assertThat(pool.queuedTasks()).isEqualTo(8);
		assertThat(pool.takeQueued()).hasSize(8);
		assertThat(pool.queuedTasks()).isZero();
		release.countDown();
		pool.shutdownNow();
		await().until(() -> pool.handlerThreads().isEmpty());
		assertThat(running).as("handlers started").hasValue(2);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.nsqspring.listener.NsqListenerContainerTests.FakeMessage;
import io.micrometer.observation.Observation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Tracking of unacknowledged messages on handler threads, on other threads, and across both. */
class UnacknowledgedMessagesTests {

	private final ExecutorService executor = Executors.newFixedThreadPool(2);

	private final List<HandlerSlot> slots = List.of(new HandlerSlot(), new HandlerSlot());

	/** Each of the executor's two threads runs in a slot of its own, as a worker of {@link HandlerWorkers} does. */
	private final Queue<HandlerSlot> freeSlots = new ConcurrentLinkedQueue<>(this.slots);

	private final ThreadLocal<HandlerSlot> slot = ThreadLocal.withInitial(() -> {
		HandlerSlot own = this.freeSlots.remove();
		own.occupy();
		return own;
	});

	private final UnacknowledgedMessages tracked = new UnacknowledgedMessages(this.slots);

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	private DeliveredMessage message() {
		return new DeliveredMessage(new FakeMessage("x".getBytes(), 1), "c", (message, outcome) -> this.tracked.acknowledged(message),
				Observation.NOOP);
	}

	private Thread onHandlerThread(Runnable handler) throws Exception {
		return this.executor.submit(() -> {
			handler.run();
			return Thread.currentThread();
		}).get(5, TimeUnit.SECONDS);
	}

	@Test
	void messageOnAHandlerThreadIsTrackedWithThatThreadUntilItsOutcome() throws Exception {
		DeliveredMessage message = message();
		Map<DeliveredMessage, Thread> seen = new HashMap<>();
		Thread handlerThread = onHandlerThread(() -> {
			this.tracked.handlerStarting(message, this.slot.get());
			this.tracked.forEach(seen::put);
			message.complete(MessageOutcome.FINISHED);
			this.tracked.handlerEnded(message, this.slot.get());
		});
		assertThat(seen).hasSize(1);
		assertThat(seen.get(message)).isSameAs(handlerThread);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(message.isDetached()).as("a message finished by its handler never reaches the shared set").isFalse();
	}

	@Test
	void messageLeftUnacknowledgedByItsHandlerStaysTrackedWithoutAThread() throws Exception {
		DeliveredMessage message = message();
		onHandlerThread(() -> {
			this.tracked.handlerStarting(message, this.slot.get());
			this.tracked.handlerEnded(message, this.slot.get());
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
		this.tracked.handlerStarting(message, null);
		assertThat(this.tracked.size()).isEqualTo(1);
		message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
		this.tracked.handlerEnded(message, null);
		assertThat(this.tracked.isEmpty()).isTrue();
		assertThat(this.tracked.isEmpty()).isTrue();
	}

	@Test
	void trackerWithoutAnExecutorTracksOnTheSharedSet() {
		UnacknowledgedMessages beforeStart = new UnacknowledgedMessages(List.of());
		DeliveredMessage message = new DeliveredMessage(new FakeMessage("x".getBytes(), 1), "c",
				(delivered, outcome) -> beforeStart.acknowledged(delivered), Observation.NOOP);
		beforeStart.handlerStarting(message, null);
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
					this.tracked.handlerStarting(message, this.slot.get());
					// manual acknowledgement from another thread, at about the time the handler returns
					CountDownLatch handedOver = new CountDownLatch(1);
					acknowledgers.execute(() -> {
						handedOver.countDown();
						message.finish();
					});
					awaitQuietly(handedOver);
					this.tracked.handlerEnded(message, this.slot.get());
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
					this.tracked.handlerStarting(message, this.slot.get());
					started.incrementAndGet();
					this.tracked.handlerEnded(message, this.slot.get());
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
	void workersNeverRunMoreHandlersThanTheConcurrencyAndGiveBackQueuedMessages() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger running = new AtomicInteger();
		HandlerWorkers<Object> workers = new HandlerWorkers<>("bounded", 2, null, (message, slot) -> {
			running.incrementAndGet();
			// a blocked join must not make the workers start another handler
			CompletableFuture.runAsync(() -> awaitQuietly(release)).join();
		});
		for (int i = 0; i < 10; i++) {
			workers.handle(new FakeMessage(("m" + i).getBytes(), 1));
		}
		await().until(() -> running.get() == 2);
		Thread.sleep(200);
		assertThat(workers.slots()).allMatch((slot) -> slot.thread() != null);
		assertThat(running).hasValue(2);
		assertThat(workers.queuedCount()).isEqualTo(8);
		assertThat(workers.takeQueued()).hasSize(8);
		assertThat(workers.queuedCount()).isZero();
		release.countDown();
		await().until(() -> workers.slots().stream().allMatch((slot) -> slot.thread() == null));
		workers.close();
		assertThat(running).as("handlers started").hasValue(2);
	}

	@Test
	void workersUseTheGivenExecutorAndEndWhenTheQueueIsEmpty() throws Exception {
		List<String> threads = new CopyOnWriteArrayList<>();
		ExecutorService shared = Executors.newFixedThreadPool(4, (task) -> new Thread(task, "shared-" + threads.size()));
		try {
			CountDownLatch handled = new CountDownLatch(20);
			HandlerWorkers<Object> workers = new HandlerWorkers<>("shared", 3, shared, (message, slot) -> {
				threads.add(Thread.currentThread().getName());
				handled.countDown();
			});
			for (int i = 0; i < 20; i++) {
				workers.handle(new FakeMessage(("m" + i).getBytes(), 1));
			}
			assertThat(handled.await(5, TimeUnit.SECONDS)).isTrue();
			assertThat(threads).allMatch((name) -> name.startsWith("shared-"));
			await().until(() -> workers.slots().stream().allMatch((slot) -> slot.thread() == null));
			workers.close();
			assertThat(shared.isShutdown()).as("a given executor is the application's to shut down").isFalse();
		}
		finally {
			shared.shutdownNow();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void drainWaitsForAWorkerBetweenTakingAMessageAndHoldingIt() throws Exception {
		// a worker's slot: the message it took from the queue not held yet
		HandlerSlot worker = new HandlerSlot();
		UnacknowledgedMessages tracked = new UnacknowledgedMessages(List.of(worker));
		CountDownLatch occupied = new CountDownLatch(1);
		CountDownLatch take = new CountDownLatch(1);
		AtomicInteger requeued = new AtomicInteger();
		Future<?> workerRun = this.executor.submit(() -> {
			worker.occupy();
			// as HandlerWorkers' worker does before it polls the queue
			worker.taking(true);
			occupied.countDown();
			take.await();
			DeliveredMessage message = new DeliveredMessage(new FakeMessage("x".getBytes(), 1), "c", (m, outcome) -> {
				requeued.incrementAndGet();
				tracked.acknowledged(m);
			}, Observation.NOOP);
			tracked.handlerStarting(message, worker);
			// the container no longer accepts: the message goes back to nsqd while its connection is still open
			message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
			tracked.handlerEnded(message, worker);
			worker.vacate();
			return null;
		});
		assertThat(occupied.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(tracked.isEmpty()).as("no message is tracked yet").isTrue();
		CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> {
			try {
				return tracked.awaitAllAcknowledged(System.nanoTime() + TimeUnit.SECONDS.toNanos(10));
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(200);
		assertThat(drained).as("the drain waits while a worker may hold a message it took").isNotDone();
		take.countDown();
		assertThat(drained.get(5, TimeUnit.SECONDS)).isTrue();
		assertThat(requeued).as("the message was requeued before the drain went on").hasValue(1);
		workerRun.get(5, TimeUnit.SECONDS);
		// a worker in its slot that is not taking a message (it flushes after a batch, say) is not waited for
		worker.occupy();
		long start = System.nanoTime();
		assertThat(tracked.awaitAllAcknowledged(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - start)).as("with no worker taking a message it returns at once")
			.isLessThan(Duration.ofSeconds(1));
	}

	@Test
	void drainInterruptsOnlyTheThreadsThatStillHandleARequeuedMessage() throws Exception {
		HandlerSlot stillRunning = new HandlerSlot();
		HandlerSlot movedOn = new HandlerSlot();
		HandlerSlot batchRunning = new HandlerSlot();
		UnacknowledgedMessages tracked = new UnacknowledgedMessages(List.of(stillRunning, movedOn, batchRunning));
		DeliveredMessage stuck = message();
		DeliveredMessage ended = message();
		DeliveredMessage next = message();
		DeliveredMessage inBatch = message();
		CountDownLatch holding = new CountDownLatch(3);
		CountDownLatch done = new CountDownLatch(1);
		ExecutorService handlers = Executors.newFixedThreadPool(3);
		try {
			Future<Boolean> stuckHandler = handlers.submit(() -> handleUntil(stillRunning, List.of(stuck), holding, done));
			// this thread's handler of 'ended' returned and it took the next message after the drain requeued 'ended'
			Future<Boolean> nextHandler = handlers.submit(() -> handleUntil(movedOn, List.of(next), holding, done));
			Future<Boolean> batchHandler = handlers.submit(() -> handleUntil(batchRunning, List.of(message(), inBatch), holding, done));
			assertThat(holding.await(5, TimeUnit.SECONDS)).isTrue();
			tracked.interruptHandlersOf(Set.of(stuck, ended, inBatch));
			done.countDown();
			assertThat(stuckHandler.get(5, TimeUnit.SECONDS)).as("the handler of a requeued message is interrupted").isTrue();
			assertThat(batchHandler.get(5, TimeUnit.SECONDS)).as("so is the handler of a batch holding one").isTrue();
			assertThat(nextHandler.get(5, TimeUnit.SECONDS)).as("a thread that moved on is left alone").isFalse();
		}
		finally {
			handlers.shutdownNow();
		}
	}

	@Test
	void anInterruptThatReachesAHandlerAsItEndsIsTakenBackFromItsThread() throws Exception {
		HandlerSlot slot = new HandlerSlot();
		UnacknowledgedMessages tracked = new UnacknowledgedMessages(List.of(slot));
		DeliveredMessage message = message();
		AtomicInteger interruptedWhileHolding = new AtomicInteger();
		AtomicInteger interruptedAfterTheEnd = new AtomicInteger();
		AtomicBoolean running = new AtomicBoolean(true);
		Thread handler = new Thread(() -> {
			slot.occupy();
			for (int i = 0; i < 200_000; i++) {
				tracked.handlerStarting(message, slot);
				// a handler of a microsecond: the drain's interrupt may come while it runs, or as it ends
				long end = System.nanoTime() + 1000;
				while (System.nanoTime() < end) {
					if (Thread.interrupted()) {
						interruptedWhileHolding.incrementAndGet();
						break;
					}
				}
				tracked.handlerEnded(message, slot);
				// the thread goes on to other work here: no interrupt of the drain may reach it
				if (Thread.interrupted()) {
					interruptedAfterTheEnd.incrementAndGet();
				}
			}
			slot.vacate();
			running.set(false);
		});
		handler.start();
		while (running.get()) {
			tracked.interruptHandlersOf(Set.of(message));
		}
		handler.join(10_000);
		assertThat(interruptedWhileHolding).as("the drain interrupted the handler while it ran").hasPositiveValue();
		assertThat(interruptedAfterTheEnd).as("no interrupt outlived the handler it was sent to").hasValue(0);
	}

	/**
	 * Holds the message (or, with several, the batch) in the slot until {@code done}; returns whether the
	 * thread was interrupted meanwhile.
	 */
	private static boolean handleUntil(HandlerSlot slot, List<DeliveredMessage> messages, CountDownLatch holding,
			CountDownLatch done) {
		slot.occupy();
		if (messages.size() == 1) {
			slot.hold(messages.get(0));
		}
		else {
			slot.holdBatch(messages);
		}
		holding.countDown();
		boolean interrupted = false;
		while (done.getCount() > 0) {
			interrupted |= Thread.interrupted();
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		interrupted |= Thread.interrupted();
		slot.vacate();
		return interrupted;
	}

}

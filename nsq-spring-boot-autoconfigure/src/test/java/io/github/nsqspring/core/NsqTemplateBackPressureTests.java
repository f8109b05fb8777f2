package io.github.nsqspring.core;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code nsq.producer.max-pending} against a frozen real nsqd: a caller that publishes faster than nsqd
 * answers holds at most max-pending bytes of bodies on the heap; what finds no room fails after the timeout.
 */
class NsqTemplateBackPressureTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static final long MAX_PENDING = 4 * 1024 * 1024;

	private static final int BODY_SIZE = 10 * 1024;

	/** Heap beyond the pending bodies: requests, futures, buffers, the classes a failure path loads. */
	private static final long SMALL_CONSTANT = 8 * 1024 * 1024;

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final NsqTemplate template = TestTemplates.started(List.of(nsqd.tcpAddress()), 2, TIMEOUT,
			Duration.ofMinutes(1), Duration.ofSeconds(30), MAX_PENDING);

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	@AfterEach
	void stopTemplate() throws Exception {
		nsqd.thaw();
		this.template.stop();
	}

	@Test
	void sendAsyncAgainstAFrozenNsqdHoldsAtMostMaxPendingAndFailsTheRestAfterTheTimeout() throws Exception {
		this.template.send("pressure", "connection 1");
		this.template.send("pressure", "connection 2");
		long baseline = heapAfterGc();
		nsqd.freeze();

		AtomicLong maxGauge = new AtomicLong();
		AtomicLong slowestCallNanos = new AtomicLong();
		List<CompletableFuture<Void>> futures = new ArrayList<>();
		Thread sender = new Thread(() -> {
			long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (System.nanoTime() < end) {
				long start = System.nanoTime();
				CompletableFuture<Void> future = this.template.sendAsync("pressure", new byte[BODY_SIZE]);
				slowestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
				maxGauge.accumulateAndGet(this.template.getPendingBytes(), Math::max);
				synchronized (futures) {
					futures.add(future);
				}
			}
		}, "pressure-sender");
		sender.start();
		long maxHeapGrowth = 0;
		while (sender.isAlive()) {
			Thread.sleep(700);
			maxHeapGrowth = Math.max(maxHeapGrowth, heapAfterGc() - baseline);
		}
		sender.join();

		assertThat(maxGauge.get()).as("pending bytes reached the limit and stayed below it")
			.isBetween(MAX_PENDING - BODY_SIZE, MAX_PENDING);
		assertThat(maxHeapGrowth).as("heap growth after GC while nsqd was frozen")
			.isLessThan(MAX_PENDING + SMALL_CONSTANT);
		// the call that found no room waited for it (about until the oldest pending publish timed out), at
		// most the timeout (plus scheduling on a busy machine)
		assertThat(Duration.ofNanos(slowestCallNanos.get())).isGreaterThan(TIMEOUT.dividedBy(2))
			.isLessThan(TIMEOUT.plusSeconds(1));
		List<Throwable> failures = new ArrayList<>();
		for (CompletableFuture<Void> future : futures) {
			try {
				future.get(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				failures.add(ex.getCause());
			}
		}
		assertThat(failures).allSatisfy((failure) -> assertThat(failure).isInstanceOf(NsqPublishException.class)
			.hasMessageContaining(nsqd.tcpAddress()));
		// whether the waiting call then fails naming nsq.producer.max-pending, or gets the room that the
		// oldest publishes free when they time out and fails on the frozen nsqd, is a race of a few ms
		// (the watchdog's period): PendingBytesTests checks the wait that ends without room

		nsqd.thaw();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(NsqPublishException.class)
			.untilAsserted(() -> this.template.send("pressure", "after"));
		List<CompletableFuture<Void>> after = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			after.add(this.template.sendAsync("pressure", new byte[BODY_SIZE]));
		}
		CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
		assertThat(this.template.getPendingBytes()).isZero();
		System.out.printf("back-pressure: %d sendAsync calls in 10 s, %d failed, gauge max %d B, heap growth max %d B%n",
				futures.size(), failures.size(), maxGauge.get(), maxHeapGrowth);
	}

	@Test
	void synchronousSendsCountAsPending() throws Exception {
		this.template.send("pressure-sync", "connected");
		nsqd.freeze();
		CompletableFuture<Void> send = CompletableFuture.runAsync(() -> this.template.send("pressure-sync", new byte[BODY_SIZE]));
		await().atMost(TIMEOUT).until(() -> this.template.getPendingBytes() == BODY_SIZE);
		assertThat(send).failsWithin(TIMEOUT.multipliedBy(3))
			.withThrowableOfType(ExecutionException.class)
			.withCauseInstanceOf(NsqPublishException.class);
		assertThat(this.template.getPendingBytes()).isZero();
	}

	private long heapAfterGc() {
		System.gc();
		return this.memory.getHeapMemoryUsage().getUsed();
	}

}

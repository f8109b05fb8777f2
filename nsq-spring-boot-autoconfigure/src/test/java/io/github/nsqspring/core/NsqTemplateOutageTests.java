package io.github.nsqspring.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** {@link NsqTemplate} while a real nsqd stops, restarts, freezes or rejects a publish. */
class NsqTemplateOutageTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static NsqServer smallMessagesNsqd = NsqServer.withArguments("--max-msg-size=1024");

	private final NsqTemplate template = TestTemplates.started(List.of(nsqd.tcpAddress()), 2, TIMEOUT, Duration.ofMinutes(1));

	@AfterEach
	void stopTemplate() {
		this.template.stop();
		nsqd.start();
	}

	@Test
	void publishWhileNsqdIsDownFailsWithinTheTimeoutAndSucceedsAfterItRestarts() throws Exception {
		this.template.send("outage", "before");
		nsqd.stop();

		long start = System.nanoTime();
		assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> this.template.send("outage", "down"))
			.withMessageContaining("'outage'")
			.withMessageContaining(nsqd.tcpAddress())
			.satisfies((ex) -> assertThat(ex.getTopic()).isEqualTo("outage"));
		CompletableFuture<Void> async = this.template.sendAsync("outage", "down too");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> async.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
			.withCauseInstanceOf(NsqPublishException.class);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);

		nsqd.start();
		this.template.send("outage", "after");
		assertThat(nsqd.stats().topic("outage").depth()).isEqualTo(2);
	}

	@Test
	void frozenNsqdFailsPublishesWithinTheTimeout() throws Exception {
		this.template.send("frozen", "before on connection 1");
		this.template.send("frozen", "before on connection 2");
		nsqd.freeze();
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> this.template.send("frozen", "lost?"))
				.withMessageContaining("no answer from nsqd within PT1S");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, TIMEOUT.plusMillis(300));

			CompletableFuture<Void> async = this.template.sendAsync("frozen", "lost too?");
			await().atLeast(TIMEOUT.minusMillis(100)).atMost(TIMEOUT.plusMillis(300)).until(async::isDone);
			assertThat(async).isCompletedExceptionally();

			// the first connection was closed as overdue; a new one gets no answer to IDENTIFY
			start = System.nanoTime();
			assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> this.template.send("frozen", "not sent"))
				.withMessageContaining("cannot connect to " + nsqd.tcpAddress());
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(TIMEOUT.plusMillis(300));
		}
		finally {
			nsqd.thaw();
		}
		this.template.send("frozen", "after");
		// what was written before the freeze may still reach nsqd: a failure means "not acknowledged"
		assertThat(nsqd.stats().topic("frozen").messageCount()).isBetween(3L, 5L);
	}

	@Test
	void nsqdStoppedMidRunLosesNoAcknowledgedPublish() throws Exception {
		AtomicBoolean sending = new AtomicBoolean(true);
		AtomicLong acknowledged = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong slowestFailureNanos = new AtomicLong();
		AtomicReference<Throwable> unexpected = new AtomicReference<>();
		List<Thread> senders = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			int sender = i;
			senders.add(new Thread(() -> {
				for (int n = 0; sending.get(); n++) {
					long start = System.nanoTime();
					try {
						this.template.send("midrun", sender + ":" + n);
						acknowledged.incrementAndGet();
					}
					catch (NsqPublishException ex) {
						failed.incrementAndGet();
						slowestFailureNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
					}
					catch (Throwable ex) {
						unexpected.compareAndSet(null, ex);
					}
				}
			}));
		}
		senders.forEach(Thread::start);
		await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() >= 2000);
		nsqd.stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> failed.get() >= 100);
		nsqd.start();
		long acknowledgedAfterRestart = acknowledged.get() + 2000;
		await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() >= acknowledgedAfterRestart);
		sending.set(false);
		for (Thread sender : senders) {
			sender.join(5000);
		}

		assertThat(unexpected.get()).isNull();
		// within the timeout, give or take thread scheduling on a busy machine
		assertThat(Duration.ofNanos(slowestFailureNanos.get())).isLessThanOrEqualTo(TIMEOUT.plusMillis(200));
		long onNsqd = nsqd.stats().topic("midrun").depth();
		assertThat(onNsqd).isGreaterThanOrEqualTo(acknowledged.get()).isLessThanOrEqualTo(acknowledged.get() + failed.get());
	}

	@Test
	void publishThatNsqdRejectsFailsWithItsErrorAndTheNextOneSucceeds() {
		NsqTemplate lenient = TestTemplates.started(List.of(smallMessagesNsqd.tcpAddress()), 1, TIMEOUT, Duration.ofMinutes(1));
		try {
			assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> lenient.send("strict", new byte[2000]))
				.withMessageContaining("E_BAD_MESSAGE PUB message too big 2000 > 1024")
				.withMessageContaining(smallMessagesNsqd.tcpAddress());
			lenient.send("strict", new byte[1024]);
			assertThat(smallMessagesNsqd.stats().topic("strict").messageCount()).isEqualTo(1);
		}
		finally {
			lenient.stop();
		}
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sproutsocial.nsq.Message;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqMessageConversionException;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Outcome rules of a running container, driven with hand-made nsq-j messages where nsqd cannot help:
 * nsqd v1.3.0 refuses empty bodies (MSG_EMPTY / E_BAD_MESSAGE), so an empty delivery is simulated.
 */
class NsqListenerContainerTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final List<NsqMessage> handled = new CopyOnWriteArrayList<>();

	private final List<NsqMessage> deadLetters = new CopyOnWriteArrayList<>();

	private NsqListenerContainer container;

	private NsqListenerContainer start(ContainerProperties properties, NsqMessageListener listener) {
		properties.setNsqdAddresses(List.of(nsqd.tcpAddress()));
		this.container = new NsqListenerContainer(1, properties, listener, (message, cause) -> this.deadLetters.add(message));
		this.container.start();
		return this.container;
	}

	/** Hands a message to the running container as nsq-j does, and waits until the container has given it an outcome. */
	private void deliver(FakeMessage message) {
		ContainerRun run = this.container.run();
		assertThat(run).as("the container's current run").isNotNull();
		run.deliver(message);
		// a message handled in a slot counts as in flight until its handler has returned, after its outcome was counted
		await().until(() -> message.finishes.get() + message.requeueDelays.size() > 0 && this.container.getInFlightCount() == 0);
	}

	@AfterEach
	void stop() {
		if (this.container != null) {
			this.container.stop();
		}
	}

	@Test
	void emptyBodyIsFinishedWithoutCallingTheHandler() {
		start(new ContainerProperties("unit-empty", "c"), this.handled::add);
		FakeMessage empty = new FakeMessage(new byte[0], 1);
		deliver(empty);
		assertThat(this.handled).isEmpty();
		assertThat(empty.finishes).hasValue(1);
		assertThat(this.container.getFinishedCount()).isEqualTo(1);
	}

	@Test
	void emptyBodyReachesTheHandlerWhenSkippingIsOff() {
		ContainerProperties properties = new ContainerProperties("unit-empty-kept", "c");
		properties.setSkipEmptyMessages(false);
		start(properties, this.handled::add);
		FakeMessage empty = new FakeMessage(new byte[0], 1);
		deliver(empty);
		assertThat(this.handled).hasSize(1);
		assertThat(empty.finishes).hasValue(1);
	}

	@Test
	void deliveryBeyondMaxAttemptsIsDeadLetteredWithoutCallingTheHandler() {
		ContainerProperties properties = new ContainerProperties("unit-attempts", "c");
		properties.setMaxAttempts(3);
		start(properties, this.handled::add);
		FakeMessage late = new FakeMessage("x".getBytes(), 4);
		deliver(late);
		assertThat(this.handled).isEmpty();
		assertThat(this.deadLetters).hasSize(1);
		assertThat(late.finishes).hasValue(1);
		assertThat(this.container.getDeadLetteredCount()).isEqualTo(1);
	}

	@Test
	void errorInHandlerRequeuesWithBackoffAndContainerKeepsRunning() {
		ContainerProperties properties = new ContainerProperties("unit-error", "c");
		properties.setBackoffInitial(Duration.ofMillis(100));
		properties.setBackoffJitter(0);
		start(properties, (message) -> {
			throw new OutOfMemoryError("simulated");
		});
		FakeMessage first = new FakeMessage("x".getBytes(), 2);
		deliver(first);
		assertThat(first.requeueDelays).containsExactly(200);
		assertThat(this.container.getState()).isEqualTo(ContainerState.RUNNING);
		assertThat(this.container.getFailedCount()).isEqualTo(1);
	}

	@Test
	void conversionFailureInsideTheHandlerIsRetriedLikeAnyFailure() {
		ContainerProperties properties = new ContainerProperties("unit-own-conversion", "c");
		properties.setBackoffInitial(Duration.ofMillis(100));
		properties.setBackoffJitter(0);
		start(properties, (message) -> {
			throw new NsqMessageConversionException("the handler's own JSON failed", null);
		});
		FakeMessage message = new FakeMessage("x".getBytes(), 1);
		deliver(message);
		assertThat(message.requeueDelays).containsExactly(100);
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void lateFinishAfterAnOutcomeIsIgnored() {
		start(new ContainerProperties("unit-late", "c"), (message) -> {
			message.requeue(Duration.ofSeconds(1));
			message.finish();
		});
		FakeMessage message = new FakeMessage("x".getBytes(), 1);
		deliver(message);
		assertThat(message.requeueDelays).containsExactly(1000);
		assertThat(message.finishes).hasValue(0);
		assertThat(this.container.getRequeuedCount()).isEqualTo(1);
		assertThat(this.container.getFinishedCount()).isZero();
	}

	@Test
	void stopDuringADrainCallsBackWhenThatDrainEnds() throws Exception {
		CountDownLatch handling = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		start(new ContainerProperties("unit-double-stop", "c"), (message) -> {
			handling.countDown();
			release.await();
		});
		nsqd.publish("unit-double-stop", "blocks");
		assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();
		CountDownLatch first = new CountDownLatch(1);
		CountDownLatch second = new CountDownLatch(1);
		this.container.stop(first::countDown);
		this.container.stop(second::countDown);
		assertThat(second.await(300, TimeUnit.MILLISECONDS)).as("second stop returns before the drain ends").isFalse();
		assertThat(this.container.getState()).isEqualTo(ContainerState.DRAINING);
		release.countDown();
		assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.container.getState()).isEqualTo(ContainerState.STOPPED);
		assertThat(nsqd.stats().channel("unit-double-stop", "c").inFlightCount()).isZero();
	}

	@Test
	void addressThatIsNotHostAndPortIsRefusedNamingIt() {
		ContainerProperties properties = new ContainerProperties("unit-bad-lookupd", "c");
		assertThatIllegalArgumentException().isThrownBy(() -> properties.setLookupdAddresses(List.of("127.0.0.1:notaport")))
			.withMessage("HTTP address '127.0.0.1:notaport' has no valid port");
		assertThatIllegalArgumentException().isThrownBy(() -> properties.setNsqdAddresses(List.of("nsqd")))
			.withMessage("nsqd address 'nsqd' is not host:port");
	}

	@Test
	void failedStartLeavesNoThreadAndAStoppedContainer() {
		Set<Thread> before = Thread.getAllStackTraces().keySet();
		ContainerProperties properties = new ContainerProperties("unit-bad-lookupd", "c");
		// host:port in shape, but nsq-j's parser refuses it when the container starts (only a colon may
		// follow a closing bracket)
		properties.setLookupdAddresses(List.of("[::1]x:4161"));
		NsqListenerContainer broken = new NsqListenerContainer(2, properties, this.handled::add,
				(message, cause) -> this.deadLetters.add(message));
		assertThatIllegalStateException().isThrownBy(broken::start)
			.withMessageContaining("Listener 'unit-bad-lookupd/c' could not start")
			.withMessageContaining("[::1]x:4161");
		assertThat(broken.getState()).isEqualTo(ContainerState.STOPPED);
		await().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
			.filteredOn((thread) -> !before.contains(thread) && thread.getName().startsWith("nsq-"))
			.isEmpty());
		CountDownLatch stopped = new CountDownLatch(1);
		broken.stop(stopped::countDown);
		assertThat(stopped.getCount()).isZero();
	}

	@Test
	void backoffDoublesAndIsCapped() {
		ContainerProperties properties = new ContainerProperties("t", "c");
		properties.setBackoffInitial(Duration.ofSeconds(1));
		properties.setBackoffMax(Duration.ofSeconds(60));
		properties.setBackoffJitter(0);
		assertThat(DefaultNsqErrorHandler.of(properties).backOffFor(1)).isEqualTo(Duration.ofSeconds(1));
		assertThat(DefaultNsqErrorHandler.of(properties).backOffFor(2)).isEqualTo(Duration.ofSeconds(2));
		assertThat(DefaultNsqErrorHandler.of(properties).backOffFor(6)).isEqualTo(Duration.ofSeconds(32));
		assertThat(DefaultNsqErrorHandler.of(properties).backOffFor(7)).isEqualTo(Duration.ofSeconds(60));
		assertThat(DefaultNsqErrorHandler.of(properties).backOffFor(65_000)).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void backoffIsJitteredWithinTheFraction() {
		ContainerProperties properties = new ContainerProperties("t", "c");
		properties.setBackoffInitial(Duration.ofSeconds(1));
		java.util.Set<Long> delays = new java.util.HashSet<>();
		for (int i = 0; i < 200; i++) {
			delays.add(DefaultNsqErrorHandler.of(properties).backOffFor(3).toMillis());
		}
		assertThat(delays).allMatch((delay) -> delay >= 3600 && delay <= 4400);
		assertThat(delays).as("delays differ").hasSizeGreaterThan(10);
	}

	static final class FakeMessage implements Message {

		final AtomicInteger finishes = new AtomicInteger();

		final List<Integer> requeueDelays = new CopyOnWriteArrayList<>();

		private final byte[] data;

		private final int attempts;

		FakeMessage(byte[] data, int attempts) {
			this.data = data;
			this.attempts = attempts;
		}

		@Override
		public byte[] getData() {
			return this.data;
		}

		@Override
		public String getId() {
			return "0123456789abcdef";
		}

		@Override
		public long getTimestamp() {
			return System.currentTimeMillis() * 1_000_000;
		}

		@Override
		public int getAttempts() {
			return this.attempts;
		}

		@Override
		public String getTopic() {
			return "fake";
		}

		@Override
		public void finish() {
			this.finishes.incrementAndGet();
		}

		@Override
		public void requeue() {
			this.requeueDelays.add(0);
		}

		@Override
		public void requeue(int delayMillis) {
			this.requeueDelays.add(delayMillis);
		}

		@Override
		public void touch() {
		}

	}

}

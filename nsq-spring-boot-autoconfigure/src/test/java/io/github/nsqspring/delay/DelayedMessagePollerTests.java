package io.github.nsqspring.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.test.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the poller publishes: one MPUB per topic, split at the MPUB size limit, single messages as PUB,
 * failed publishes given back and retried. A recording {@link NsqOperations} stands in for nsqd; the
 * store is a real Redis.
 */
class DelayedMessagePollerTests {

	@RegisterExtension
	static RedisServer redis = RedisServer.create();

	private final RecordingOperations operations = new RecordingOperations();

	private LettuceConnectionFactory connectionFactory;

	private RedisDelayedMessageStore store;

	private DelayedMessagePoller poller;

	@BeforeEach
	void createStore() {
		this.connectionFactory = DelayTestSupport.connectionFactory(redis);
		this.store = new RedisDelayedMessageStore(this.connectionFactory, "poller-" + System.nanoTime() + ":");
	}

	@AfterEach
	void stop() {
		if (this.poller != null) {
			this.poller.stop();
		}
		this.connectionFactory.destroy();
	}

	private void startPoller(long maxBatchBytes) {
		this.poller = new DelayedMessagePoller(this.store, this.operations,
				new DelayedMessagePoller.PollerSettings(Duration.ofMillis(20), 100, Duration.ofSeconds(30)), maxBatchBytes,
				List.of(), Clock.systemUTC());
		this.poller.start();
	}

	private void add(String id, String topic, int size) {
		this.store.add(new ScheduledMessage(id, topic, "x".repeat(size).getBytes(), Instant.now()));
	}

	@Test
	void publishesOneBatchPerTopicSplitAtTheSizeLimitAndSingleMessagesAlone() {
		for (int i = 0; i < 5; i++) {
			add("a" + i, "alpha", 10);
		}
		add("b0", "beta", 10);
		// an MPUB body of 5 x 10-byte messages is 4 + 5 x 14 = 74 bytes: a limit of 60 splits it 4 + 1
		startPoller(60);
		await().until(() -> this.store.pending() == 0);
		assertThat(this.operations.sends).containsExactlyInAnyOrder("MPUB alpha 4", "PUB alpha", "PUB beta");
	}

	@Test
	void failedPublishesGoBackAndAreRetried() {
		this.operations.failing.set(true);
		add("a0", "alpha", 10);
		add("a1", "alpha", 10);
		startPoller(1000);
		await().until(() -> this.operations.sends.size() >= 2);
		assertThat(this.store.pending("alpha")).isEqualTo(2);
		// released to the due set between two attempts, so cancellable again
		await().until(() -> this.store.cancel("a0"));
		this.operations.failing.set(false);
		await().until(() -> this.store.pending() == 0);
		assertThat(this.operations.sends).last().isEqualTo("PUB alpha");
	}

	@Test
	void stopWaitsForThePublishInProgressAndItsDeletion() {
		CompletableFuture<Void> answer = new CompletableFuture<>();
		this.operations.answer = answer;
		add("a0", "alpha", 10);
		startPoller(1000);
		await().until(() -> this.operations.sends.size() == 1);
		CompletableFuture<Void> stopped = CompletableFuture.runAsync(this.poller::stop);
		await().during(Duration.ofMillis(300)).until(() -> !stopped.isDone());
		answer.complete(null);
		stopped.join();
		assertThat(this.poller.isRunning()).isFalse();
		assertThat(this.store.pending()).as("acknowledged before the poller stopped").isZero();
	}

	/** Records each send; answers it at once, or when the test says, or fails it like an unreachable nsqd. */
	static class RecordingOperations implements NsqOperations {

		final List<String> sends = new CopyOnWriteArrayList<>();

		final AtomicBoolean failing = new AtomicBoolean();

		volatile CompletableFuture<Void> answer;

		@Override
		public CompletableFuture<Void> sendAsync(String topic, Object payload) {
			return record("PUB " + topic, topic);
		}

		@Override
		public CompletableFuture<Void> sendBatchAsync(String topic, List<?> payloads) {
			return record("MPUB " + topic + " " + payloads.size(), topic);
		}

		private CompletableFuture<Void> record(String send, String topic) {
			this.sends.add(send);
			if (this.failing.get()) {
				return CompletableFuture.failedFuture(new NsqPublishException(topic, "test", "nsqd is down", null));
			}
			return (this.answer != null) ? this.answer : CompletableFuture.completedFuture(null);
		}

		@Override
		public void send(String topic, Object payload) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void sendBatch(String topic, List<?> payloads) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void sendDeferred(String topic, Object payload, Duration delay) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CompletableFuture<Void> sendDeferredAsync(String topic, Object payload, Duration delay) {
			throw new UnsupportedOperationException();
		}

	}

}

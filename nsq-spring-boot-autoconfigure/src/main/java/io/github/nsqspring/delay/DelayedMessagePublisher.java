package io.github.nsqspring.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.MpubBatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Publishes claimed delayed messages with {@link NsqOperations}: one MPUB per topic (split where it
 * would exceed nsqd's MPUB body limit), a PUB for a single message, all topics at once. Deletes the
 * messages nsqd acknowledged from the store and gives the others back to it.
 */
class DelayedMessagePublisher {

	private static final Log logger = LogFactory.getLog(DelayedMessagePublisher.class);

	private final RedisDelayedMessageStore store;

	private final NsqOperations operations;

	private final long maxBatchBytes;

	private final Duration timeout;

	private final List<DelayedMessageObserver> observers;

	private final Clock clock;

	/**
	 * @param maxBatchBytes largest MPUB body nsqd accepts ({@code --max-body-size})
	 * @param timeout longest wait for nsqd's acknowledgement; must be shorter than the lease of the
	 * claimed messages
	 */
	DelayedMessagePublisher(RedisDelayedMessageStore store, NsqOperations operations, long maxBatchBytes,
			Duration timeout, List<DelayedMessageObserver> observers, Clock clock) {
		this.store = store;
		this.operations = operations;
		this.maxBatchBytes = maxBatchBytes;
		this.timeout = timeout;
		this.observers = List.copyOf(observers);
		this.clock = clock;
	}

	/** Publishes claimed messages; returns false when any of them could not be published or deleted. */
	boolean publish(List<ScheduledMessage> messages) {
		List<Batch> batches = batches(messages);
		for (Batch batch : batches) {
			batch.send(this.operations);
		}
		boolean published = true;
		for (Batch batch : batches) {
			published &= complete(batch);
		}
		return published;
	}

	private boolean complete(Batch batch) {
		List<String> ids = batch.messages.stream().map(ScheduledMessage::id).toList();
		try {
			// publish sends every batch before it completes one
			Objects.requireNonNull(batch.result).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			logger.warn("Cannot publish " + ids.size() + " delayed message(s) to topic '" + batch.topic
					+ "', retrying: " + cause);
			release(ids);
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			release(ids);
			return false;
		}
		Instant publishedAt = this.clock.instant();
		try {
			this.store.acknowledge(ids);
		}
		catch (RuntimeException ex) {
			logger.warn("Published " + ids.size() + " delayed message(s) to topic '" + batch.topic
					+ "' but cannot delete them from Redis; they will be published again after the lease: " + ex);
			return false;
		}
		for (ScheduledMessage message : batch.messages) {
			this.observers.forEach((observer) -> observer.published(message, publishedAt));
		}
		return true;
	}

	private void release(List<String> ids) {
		try {
			this.store.release(ids);
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot give " + ids.size() + " delayed message(s) back to Redis; they are retried after the lease: "
					+ ex);
		}
	}

	/** Groups messages by topic (in due order) into batches no larger than nsqd's MPUB body limit. */
	private List<Batch> batches(List<ScheduledMessage> messages) {
		Map<String, List<ScheduledMessage>> byTopic = new LinkedHashMap<>();
		for (ScheduledMessage message : messages) {
			byTopic.computeIfAbsent(message.topic(), (topic) -> new ArrayList<>()).add(message);
		}
		List<Batch> batches = new ArrayList<>();
		byTopic.forEach((topic, topicMessages) -> {
			MpubBatcher<ScheduledMessage> batcher = new MpubBatcher<>(Integer.MAX_VALUE, this.maxBatchBytes,
					(message) -> message.body().length);
			for (ScheduledMessage message : topicMessages) {
				List<ScheduledMessage> full = batcher.add(message);
				if (full != null) {
					batches.add(new Batch(topic, full));
				}
			}
			List<ScheduledMessage> last = batcher.finish();
			if (last != null) {
				batches.add(new Batch(topic, last));
			}
		});
		return batches;
	}

	/** Messages of one topic published together, and the future of their publish. */
	private static final class Batch {

		private final String topic;

		private final List<ScheduledMessage> messages;

		private @Nullable CompletableFuture<Void> result;

		Batch(String topic, List<ScheduledMessage> messages) {
			this.topic = topic;
			this.messages = messages;
		}

		void send(NsqOperations operations) {
			try {
				this.result = (this.messages.size() == 1) ? operations.sendAsync(this.topic, this.messages.get(0).body())
						: operations.sendBatchAsync(this.topic, this.messages.stream().map(ScheduledMessage::body).toList());
			}
			catch (RuntimeException ex) {
				this.result = CompletableFuture.failedFuture(ex);
			}
		}

	}

}

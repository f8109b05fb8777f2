package io.github.nsqspring.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes delayed messages when they are due. One thread claims due entries from the
 * {@link RedisDelayedMessageStore} (at most the batch size at once, each reserved for the lease),
 * publishes them with {@link NsqOperations} (one MPUB per topic and chunk when several are due), and
 * deletes them only once nsqd acknowledged them. Entries whose publish failed go back to the due set at
 * once and are retried after a back-off; entries of an instance that died after claiming are claimed
 * again when their lease ends. So every entry is published at least once, and exactly once unless a
 * publish outlives its lease.
 *
 * <p>As a {@link SmartLifecycle} it runs in phase {@link #PHASE}, between the template
 * ({@link NsqTemplate#PHASE}, {@code Integer.MAX_VALUE - 200}) and the listener registry
 * ({@code Integer.MAX_VALUE - 100}). Spring starts phases in ascending and stops them in descending
 * order, so the poller starts after the template and stops before it: a claim in progress finishes its
 * publish while the template still accepts it. The listeners stop first, and a listener that schedules
 * a delayed message while it drains still finds the store. Spring Data Redis connection factories
 * (phase 0) start before the poller and stop after it.
 */
public class DelayedMessagePoller implements SmartLifecycle {

	/** Between {@link NsqTemplate#PHASE} and the listener registry's {@code Integer.MAX_VALUE - 100}. */
	public static final int PHASE = NsqTemplate.PHASE + 50;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(DelayedMessagePoller.class);

	private final RedisDelayedMessageStore store;

	private final NsqOperations operations;

	private final PollerSettings settings;

	private final List<DelayedMessageObserver> observers;

	private final Clock clock;

	private volatile boolean running;

	private Thread thread;

	private Duration backoff = Duration.ZERO;

	public DelayedMessagePoller(RedisDelayedMessageStore store, NsqOperations operations, PollerSettings settings,
			List<DelayedMessageObserver> observers, Clock clock) {
		this.store = store;
		this.operations = operations;
		this.settings = settings;
		this.observers = List.copyOf(observers);
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, "nsq-delay-poller");
		// a JVM that exits without closing the context loses nothing: claimed entries return after the lease
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/** Lets the poll in progress finish its publishes and acknowledgements, then ends the thread. */
	@Override
	public synchronized void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		LockSupport.unpark(this.thread);
		try {
			this.thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void run() {
		while (this.running) {
			pause(poll());
		}
	}

	/** Claims and publishes one batch; returns how long to wait before the next poll. */
	private Duration poll() {
		Instant now = this.clock.instant();
		RedisDelayedMessageStore.Claim claim;
		try {
			claim = this.store.claim(now, now.plus(this.settings.lease()), this.settings.batchSize());
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot claim due delayed messages from Redis: " + ex.getMessage());
			return failed();
		}
		if (!claim.messages().isEmpty() && !publish(claim.messages())) {
			return failed();
		}
		this.backoff = Duration.ZERO;
		if (claim.messages().size() == this.settings.batchSize()) {
			return Duration.ZERO;
		}
		return untilNextDue(claim.nextDue());
	}

	private Duration untilNextDue(Instant nextDue) {
		if (nextDue == null) {
			return this.settings.pollInterval();
		}
		Duration untilDue = Duration.between(this.clock.instant(), nextDue);
		return (untilDue.compareTo(this.settings.pollInterval()) < 0) ? untilDue : this.settings.pollInterval();
	}

	private Duration failed() {
		Duration doubled = this.backoff.isZero() ? this.settings.pollInterval() : this.backoff.multipliedBy(2);
		this.backoff = (doubled.compareTo(MAX_BACKOFF) < 0) ? doubled : MAX_BACKOFF;
		return this.backoff;
	}

	/** Publishes the messages in batches per topic; returns false when any batch failed. */
	private boolean publish(List<ScheduledMessage> messages) {
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
		List<String> ids = batch.messages().stream().map(ScheduledMessage::id).toList();
		try {
			batch.result().get(this.settings.lease().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
			logger.warn("Cannot publish " + ids.size() + " delayed message(s) to topic '" + batch.topic()
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
			logger.warn("Published " + ids.size() + " delayed message(s) to topic '" + batch.topic()
					+ "' but cannot delete them from Redis; they will be published again after the lease: " + ex);
			return false;
		}
		for (ScheduledMessage message : batch.messages()) {
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
			List<ScheduledMessage> current = new ArrayList<>();
			long size = 4;
			for (ScheduledMessage message : topicMessages) {
				long messageSize = 4 + message.body().length;
				if (!current.isEmpty() && size + messageSize > this.settings.maxBatchBytes()) {
					batches.add(new Batch(topic, current));
					current = new ArrayList<>();
					size = 4;
				}
				current.add(message);
				size += messageSize;
			}
			batches.add(new Batch(topic, current));
		});
		return batches;
	}

	private void pause(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		for (long left = duration.toNanos(); left > 0 && this.running; left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(this, left);
		}
	}

	/**
	 * How the poller works.
	 *
	 * @param pollInterval longest pause between two polls
	 * @param batchSize most entries claimed at once
	 * @param lease how long claimed entries are reserved for this poller
	 * @param maxBatchBytes largest MPUB body nsqd accepts ({@code --max-body-size})
	 */
	public record PollerSettings(Duration pollInterval, int batchSize, Duration lease, long maxBatchBytes) {

	}

	/** Messages of one topic published together, and the future of their publish. */
	private static final class Batch {

		private final String topic;

		private final List<ScheduledMessage> messages;

		private CompletableFuture<Void> result;

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

		String topic() {
			return this.topic;
		}

		List<ScheduledMessage> messages() {
			return this.messages;
		}

		CompletableFuture<Void> result() {
			return this.result;
		}

	}

}

package io.github.nsqspring.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.DefaultNsqErrorHandler;
import io.github.nsqspring.listener.NsqMessageListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * The listener of one archive container: it collects delivered messages and writes them to the
 * {@link ArchiveTable} in batches, one batch per transaction, on a writer thread of its own. A batch is
 * written when it holds {@code maxMessages} or at the next flush tick ({@code flushInterval}).
 *
 * <p>The container runs in manual acknowledgement: a message is finished (FIN) only after the transaction
 * holding its row has committed. When the write fails (database down, timeout) every message of the batch
 * is requeued with the container's backoff and none is finished; a redelivered message whose row had in
 * fact been committed is skipped by the table's uniqueness on (topic, nsq id). When the database rejects a
 * batch's data (a constraint or size violation), its messages are written one by one, so that only the
 * rejected message is requeued. A message stays in flight while it waits for its batch, so a draining
 * container waits for the batch to be written.
 */
public class NsqArchiveWriter implements NsqMessageListener, AutoCloseable {

	/** nsqd's default {@code --max-rdy-count}: the most messages it lets one connection have in flight. */
	static final int MAX_IN_FLIGHT = 2500;

	private static final Log logger = LogFactory.getLog(NsqArchiveWriter.class);

	private final ArchiveTable table;

	private final int maxMessages;

	private final ScheduledExecutorService writer;

	private final List<ReceivedMessage> pending = new ArrayList<>();

	private volatile @Nullable ContainerProperties containerProperties;

	/**
	 * @param topic the archived topic (names the writer thread)
	 * @param table where rows go
	 * @param maxMessages the most messages per batch
	 * @param flushInterval the longest a message waits for its batch to fill
	 */
	public NsqArchiveWriter(String topic, ArchiveTable table, int maxMessages, Duration flushInterval) {
		this.table = table;
		this.maxMessages = maxMessages;
		this.writer = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "nsq-archive-" + topic);
			thread.setDaemon(true);
			return thread;
		});
		long interval = flushInterval.toNanos();
		this.writer.scheduleWithFixedDelay(() -> writePending(1), interval, interval, TimeUnit.NANOSECONDS);
	}

	/**
	 * Sets up the archive's container: manual acknowledgement, one handler thread (it only collects),
	 * nsqd may send two batches ahead (at most 2500), empty messages are archived too, and a message is
	 * never dead-lettered: the archive keeps retrying until its row is written.
	 */
	public void configure(ContainerProperties properties) {
		properties.setAutoAcknowledge(false);
		properties.setConcurrency(1);
		properties.setMaxInFlight(Math.min(2 * this.maxMessages, MAX_IN_FLIGHT));
		properties.setMaxAttempts(Integer.MAX_VALUE);
		properties.setSkipEmptyMessages(false);
		this.containerProperties = properties;
	}

	@Override
	public void onMessage(NsqMessage message) {
		if (this.containerProperties == null) {
			throw new IllegalStateException("The archive writer's container was not set up with configure(ContainerProperties)");
		}
		boolean full;
		synchronized (this.pending) {
			this.pending.add(new ReceivedMessage(message, Instant.now()));
			full = this.pending.size() == this.maxMessages;
		}
		if (full) {
			this.writer.execute(() -> writePending(this.maxMessages));
		}
	}

	/** Writes batches while at least {@code minimum} (1 or more) messages are pending. */
	private void writePending(int minimum) {
		try {
			List<ReceivedMessage> batch;
			while ((batch = takeBatch(minimum)) != null) {
				write(batch);
			}
		}
		catch (RuntimeException ex) {
			logger.error("Archive writer failed; it keeps running", ex);
		}
	}

	private @Nullable List<ReceivedMessage> takeBatch(int minimum) {
		synchronized (this.pending) {
			if (this.pending.size() < minimum) {
				return null;
			}
			List<ReceivedMessage> head = this.pending.subList(0, Math.min(this.maxMessages, this.pending.size()));
			List<ReceivedMessage> batch = new ArrayList<>(head);
			head.clear();
			return batch;
		}
	}

	private void write(List<ReceivedMessage> batch) {
		try {
			this.table.insert(batch);
		}
		catch (DataIntegrityViolationException ex) {
			if (batch.size() > 1) {
				// a message the database rejects (e.g. a body too long for the column) must not hold back the others
				batch.forEach((received) -> write(List.of(received)));
			}
			else {
				requeue(batch, ex);
			}
			return;
		}
		catch (RuntimeException ex) {
			requeue(batch, ex);
			return;
		}
		for (ReceivedMessage received : batch) {
			received.message().finish();
		}
	}

	private void requeue(List<ReceivedMessage> batch, RuntimeException ex) {
		logger.warn("Could not archive " + batch.size() + " message(s) of topic '" + batch.get(0).message().topic()
				+ "' in table " + this.table.getTableName() + "; requeued them with backoff: " + ex);
		// set before the first message: onMessage refuses messages without it
		DefaultNsqErrorHandler backOff = DefaultNsqErrorHandler.of(Objects.requireNonNull(this.containerProperties));
		for (ReceivedMessage received : batch) {
			NsqMessage message = received.message();
			message.requeue(backOff.backOffFor(message.attempts()));
		}
	}

	/** Stops the writer thread; call it after the container has stopped. */
	@Override
	public void close() {
		this.writer.shutdownNow();
	}

}

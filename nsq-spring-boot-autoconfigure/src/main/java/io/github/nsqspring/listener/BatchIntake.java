package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import com.sproutsocial.nsq.Message;
import org.jspecify.annotations.Nullable;

/**
 * The intake of a batch listener's run: delivered messages gather in a batch that is handed to the
 * {@link HandlerWorkers} when it holds {@code batchMaxSize} messages, or when its first message has waited
 * {@code batchMaxWait}: one timer per batch, on the run's scheduler (the nsq-j client's, which also runs
 * the TOUCH task), not a thread of its own. {@link #takeQueued()} gives the drain every message not yet
 * started: the batch still gathering and the batches waiting for a worker, whole.
 */
final class BatchIntake implements MessageIntake<Message> {

	private final int maxSize;

	private final long maxWaitMillis;

	private final Scheduler scheduler;

	private final HandlerWorkers<List<Message>> workers;

	private final Object lock = new Object();

	/** Messages gathered or queued, not yet taken by a worker. */
	private final AtomicInteger waiting = new AtomicInteger();

	private List<Message> gathering;

	/**
	 * @param properties the listener's settings (name, concurrency, batch max-size and max-wait)
	 * @param executor runs the workers; null for a pool of the run's own
	 * @param scheduler runs the max-wait timers
	 * @param handler handles a batch in a slot, on a worker's thread
	 */
	BatchIntake(ContainerProperties properties, @Nullable Executor executor, Scheduler scheduler,
			BiConsumer<List<Message>, HandlerSlot> handler) {
		this.maxSize = properties.getBatchMaxSize();
		this.maxWaitMillis = properties.getBatchMaxWait().toMillis();
		this.scheduler = scheduler;
		this.gathering = new ArrayList<>(this.maxSize);
		this.workers = new HandlerWorkers<>(properties.getName(), properties.getConcurrency(), executor, (batch, slot) -> {
			this.waiting.addAndGet(-batch.size());
			handler.accept(batch, slot);
		});
	}

	/** Adds a message to the gathering batch (on nsq-j's reader thread); hands the batch over when it is full. */
	@Override
	public void handle(Message message) {
		List<Message> full = null;
		List<Message> started = null;
		synchronized (this.lock) {
			this.waiting.incrementAndGet();
			List<Message> batch = this.gathering;
			batch.add(message);
			if (batch.size() >= this.maxSize) {
				full = batch;
				this.gathering = new ArrayList<>(this.maxSize);
			}
			else if (batch.size() == 1) {
				started = batch;
			}
		}
		if (full != null) {
			this.workers.handle(full);
		}
		else if (started != null) {
			startTimer(started);
		}
	}

	private void startTimer(List<Message> batch) {
		try {
			this.scheduler.schedule(() -> expire(batch), this.maxWaitMillis);
		}
		catch (RejectedExecutionException ex) {
			// the run is closing: whatever takes the batch now (a worker or the drain) requeues it
			expire(batch);
		}
	}

	/** Hands the batch over unless it was handed over full, or taken by the drain, since its timer started. */
	private void expire(List<Message> batch) {
		synchronized (this.lock) {
			if (this.gathering != batch) {
				return;
			}
			this.gathering = new ArrayList<>(this.maxSize);
		}
		this.workers.handle(batch);
	}

	/** The gathering batch and the batches waiting for a worker, as one list of messages in delivery order. */
	@Override
	public List<Message> takeQueued() {
		List<Message> taken = new ArrayList<>();
		for (List<Message> batch : this.workers.takeQueued()) {
			taken.addAll(batch);
		}
		synchronized (this.lock) {
			taken.addAll(this.gathering);
			this.gathering = new ArrayList<>(this.maxSize);
		}
		this.waiting.addAndGet(-taken.size());
		return taken;
	}

	/** Messages gathered or queued, not yet started by a handler. */
	@Override
	public int queuedCount() {
		return this.waiting.get();
	}

	@Override
	public List<? extends HandlerSlot> slots() {
		return this.workers.slots();
	}

	@Override
	public void close() {
		this.workers.close();
	}

	/** What a batch listener's run needs of its nsq-j client. */
	interface Scheduler {

		/** Runs the task after the delay; throws {@link RejectedExecutionException} once stopped. */
		void schedule(Runnable task, long delayMillis);

		/** Sends the FIN, REQ and TOUCH commands the client holds now: nsqd sends the next batch once it has them. */
		void flush();

	}

}

package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The handlers of one container run: a queue of messages (or batches of them) delivered and not yet started, and at most
 * {@code concurrency} workers that take them from it, each in a {@link HandlerSlot} of its own, on threads of
 * an {@link Executor}. A worker is submitted when a message arrives and a slot is free; it handles messages
 * until the queue is empty, then ends and frees its slot, so threads are used only while there is work, and
 * a busy worker takes the next message without a hand-off. {@link #takeQueued()} lets the drain take
 * the queued messages back unstarted.
 * <p>
 * The executor may be shared (a virtual-thread executor, an application's {@code TaskExecutor}); the
 * concurrency limit is this class's. Without one, the run gets a pool of its own: {@code concurrency}
 * non-daemon threads named {@code nsq-<listener>-<n>}, created on demand and ended {@value #KEEP_ALIVE_SECONDS} s
 * after their last message (an idle listener holds no handler thread), shut down with the run. When a given
 * executor rejects a worker (a {@code ThreadPoolTaskExecutor} stops taking tasks when the context closes, before the
 * listeners drain; a bounded one may be full), the worker runs on such a pool of the run's own instead, with one
 * WARN: never on the delivering thread, which is nsq-j's reader (or the client's scheduler for a batch) and must
 * go on reading frames and running timers.
 */
final class HandlerWorkers<T> implements MessageIntake<T> {

	/** The highest concurrency (the limit of the {@code ForkJoinPool} this replaced, kept as a sanity bound). */
	static final int MAX_CONCURRENCY = 0x7fff;

	static final long KEEP_ALIVE_SECONDS = 5;

	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private final Queue<T> queue = new ConcurrentLinkedQueue<>();

	private final List<Worker> workers;

	private final Queue<Worker> idle;

	private final String name;

	private final int concurrency;

	private final @Nullable Executor executor;

	/** The run's own pool: the executor without a given one, the fallback of a given one that rejects; under this lock. */
	private @Nullable ExecutorService ownExecutor;

	private final BiConsumer<T, HandlerSlot> handler;

	private volatile boolean closed;

	private volatile boolean rejectionLogged;

	/**
	 * @param name the listener's name, for the threads of a pool of its own
	 * @param concurrency the most handlers at once
	 * @param executor runs the workers; null for a pool of the run's own
	 * @param handler handles an item (a message, or a batch) in a slot, on a worker's thread
	 */
	HandlerWorkers(String name, int concurrency, @Nullable Executor executor, BiConsumer<T, HandlerSlot> handler) {
		this.handler = handler;
		List<Worker> all = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			all.add(new Worker());
		}
		this.workers = List.copyOf(all);
		this.idle = new ConcurrentLinkedQueue<>(all);
		this.name = name;
		this.concurrency = concurrency;
		this.executor = executor;
	}

	private static ExecutorService newPool(String name, int concurrency) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), new HandlerThreads("nsq-" + name));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** Queues an item and submits a worker when a slot is free. */
	@Override
	public void handle(T item) {
		this.queue.offer(item);
		startWorker();
	}

	private void startWorker() {
		Worker worker = this.idle.poll();
		if (worker == null) {
			return;
		}
		if (this.closed) {
			this.idle.offer(worker);
			return;
		}
		try {
			if (this.executor != null) {
				try {
					this.executor.execute(worker);
					return;
				}
				catch (RejectedExecutionException ex) {
					if (this.closed) {
						throw ex;
					}
					warnRejected(ex);
				}
			}
			ownPool().execute(worker);
		}
		catch (RejectedExecutionException ex) {
			// closed meanwhile: the drain takes the queued items back
			this.idle.offer(worker);
		}
	}

	private synchronized ExecutorService ownPool() {
		if (this.closed) {
			throw new RejectedExecutionException("closed");
		}
		ExecutorService own = this.ownExecutor;
		if (own == null) {
			own = newPool(this.name, this.concurrency);
			this.ownExecutor = own;
		}
		return own;
	}

	private void warnRejected(RejectedExecutionException ex) {
		if (!this.rejectionLogged) {
			this.rejectionLogged = true;
			logger.warn("The task executor of listener '" + this.name + "' rejected a handler (" + ex
					+ "); its handlers run on threads of the listener's own from now on (a ThreadPoolTaskExecutor needs "
					+ "setAcceptTasksAfterContextClose(true) to take them while the listener drains)");
		}
	}

	/** Removes and returns every item still waiting for a worker. */
	@Override
	public List<T> takeQueued() {
		List<T> queued = new ArrayList<>();
		for (T item = this.queue.poll(); item != null; item = this.queue.poll()) {
			queued.add(item);
		}
		return queued;
	}

	/** Items waiting for a worker. */
	@Override
	public int queuedCount() {
		return this.queue.size();
	}

	/** Every slot, occupied or not. */
	@Override
	public List<? extends HandlerSlot> slots() {
		return this.workers;
	}

	/** No worker starts from now on; the run's own pool is shut down (its idle threads end, busy ones are interrupted). */
	@Override
	public synchronized void close() {
		this.closed = true;
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdownNow();
		}
	}

	/** Handles queued items until there are none, in its slot. */
	private final class Worker extends HandlerSlot implements Runnable {

		@Override
		public void run() {
			occupy();
			try {
				while (!HandlerWorkers.this.closed) {
					// flagged before the poll: a drain that took the queue back waits until the item is held
					taking(true);
					T item = HandlerWorkers.this.queue.poll();
					if (item == null) {
						taking(false);
						break;
					}
					try {
						HandlerWorkers.this.handler.accept(item, this);
					}
					finally {
						// held items cleared it already
						if (isTaking()) {
							taking(false);
						}
					}
				}
			}
			finally {
				vacate();
				HandlerWorkers.this.idle.offer(this);
			}
			// a message queued after the last look found no free slot: this one is free again
			if (!HandlerWorkers.this.queue.isEmpty()) {
				startWorker();
			}
		}

	}

	/** Non-daemon handler threads named after the listener, with the creating context's class loader. */
	private static final class HandlerThreads implements ThreadFactory {

		private final String prefix;

		private final ClassLoader classLoader;

		private final AtomicInteger count = new AtomicInteger();

		HandlerThreads(String prefix) {
			this.prefix = prefix;
			this.classLoader = Thread.currentThread().getContextClassLoader();
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix + "-" + this.count.incrementAndGet());
			thread.setDaemon(false);
			thread.setContextClassLoader(this.classLoader);
			return thread;
		}

	}

}

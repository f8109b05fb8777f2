package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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

import com.sproutsocial.nsq.Message;
import org.jspecify.annotations.Nullable;

/**
 * The handlers of one container run: a queue of messages delivered and not yet started, and at most
 * {@code concurrency} workers that take them from it, each in a {@link HandlerSlot} of its own, on threads of
 * an {@link Executor}. A worker is submitted when a message arrives and a slot is free; it handles messages
 * until the queue is empty, then ends and frees its slot, so threads are used only while there is work, and
 * a busy worker takes the next message without a hand-off. {@link #takeQueued()} lets the drain take
 * the queued messages back unstarted.
 * <p>
 * The executor may be shared (a virtual-thread executor, an application's {@code TaskExecutor}); the
 * concurrency limit is this class's. Without one, the run gets a pool of its own: {@code concurrency}
 * non-daemon threads named {@code nsq-<listener>-<n>}, created on demand and ended {@value #KEEP_ALIVE_SECONDS} s
 * after their last message (an idle listener holds no handler thread), shut down with the run. An executor that rejects a worker gets it run on the delivering thread.
 */
final class HandlerWorkers {

	/** The highest concurrency (the limit of the {@code ForkJoinPool} this replaced, kept as a sanity bound). */
	static final int MAX_CONCURRENCY = 0x7fff;

	static final long KEEP_ALIVE_SECONDS = 5;

	private final Queue<Message> queue = new ConcurrentLinkedQueue<>();

	private final List<Worker> workers;

	private final Queue<Worker> idle;

	private final Executor executor;

	private final @Nullable ExecutorService ownExecutor;

	private final BiConsumer<Message, HandlerSlot> handler;

	private volatile boolean closed;

	/**
	 * @param name the listener's name, for the threads of a pool of its own
	 * @param concurrency the most handlers at once
	 * @param executor runs the workers; null for a pool of the run's own
	 * @param handler handles a message in a slot, on a worker's thread
	 */
	HandlerWorkers(String name, int concurrency, @Nullable Executor executor, BiConsumer<Message, HandlerSlot> handler) {
		this.handler = handler;
		List<Worker> all = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			all.add(new Worker());
		}
		this.workers = List.copyOf(all);
		this.idle = new ConcurrentLinkedQueue<>(all);
		ExecutorService own = (executor != null) ? null : ownPool(name, concurrency);
		this.ownExecutor = own;
		this.executor = (own != null) ? own : Objects.requireNonNull(executor);
	}

	private static ExecutorService ownPool(String name, int concurrency) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), new HandlerThreads("nsq-" + name));
		pool.allowCoreThreadTimeOut(true);
		return pool;
	}

	/** Queues a message and submits a worker when a slot is free. */
	void handle(Message message) {
		this.queue.offer(message);
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
			this.executor.execute(worker);
		}
		catch (RejectedExecutionException ex) {
			if (this.closed) {
				this.idle.offer(worker);
			}
			else {
				worker.run();
			}
		}
	}

	/** Removes and returns every message still waiting for a worker. */
	List<Message> takeQueued() {
		List<Message> queued = new ArrayList<>();
		for (Message message = this.queue.poll(); message != null; message = this.queue.poll()) {
			queued.add(message);
		}
		return queued;
	}

	/** Messages waiting for a worker. */
	int queuedCount() {
		return this.queue.size();
	}

	/** Every slot, occupied or not. */
	List<? extends HandlerSlot> slots() {
		return this.workers;
	}

	/** No worker starts from now on; the run's own pool is shut down (its idle threads end, busy ones are interrupted). */
	void close() {
		this.closed = true;
		if (this.ownExecutor != null) {
			this.ownExecutor.shutdownNow();
		}
	}

	/** Handles queued messages until there are none, in its slot. */
	private final class Worker extends HandlerSlot implements Runnable {

		@Override
		public void run() {
			occupy();
			try {
				while (!HandlerWorkers.this.closed) {
					Message message = HandlerWorkers.this.queue.poll();
					if (message == null) {
						break;
					}
					HandlerWorkers.this.handler.accept(message, this);
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

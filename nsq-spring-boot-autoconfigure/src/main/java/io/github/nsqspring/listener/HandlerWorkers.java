package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
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
 * concurrency limit is this class's. Without one, the workers run on a pool every container shares: daemon
 * threads created on demand and ended {@value #KEEP_ALIVE_SECONDS} s after their last message, so an idle
 * listener holds no thread; while a worker runs, its thread is named {@code nsq-<listener>-<n>} and has the
 * class loader of the context that created the container. An executor that rejects a worker gets it run on
 * the delivering thread.
 */
final class HandlerWorkers {

	/** The highest concurrency (the limit of the {@code ForkJoinPool} this replaced, kept as a sanity bound). */
	static final int MAX_CONCURRENCY = 0x7fff;

	static final long KEEP_ALIVE_SECONDS = 5;

	private static final ThreadPoolExecutor sharedPool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS,
			TimeUnit.SECONDS, new SynchronousQueue<>(), new SharedThreads());

	private final Queue<Message> queue = new ConcurrentLinkedQueue<>();

	private final List<Worker> workers;

	private final Queue<Worker> idle;

	private final Executor executor;

	/** The thread name prefix on the shared pool ({@code nsq-<listener>}), null on an executor given. */
	private final @Nullable String threadPrefix;

	private final ClassLoader classLoader;

	private final BiConsumer<Message, HandlerSlot> handler;

	private volatile boolean closed;

	/**
	 * @param name the listener's name, for the threads of the shared pool
	 * @param concurrency the most handlers at once
	 * @param executor runs the workers; null for the shared pool
	 * @param handler handles a message in a slot, on a worker's thread
	 */
	HandlerWorkers(String name, int concurrency, @Nullable Executor executor, BiConsumer<Message, HandlerSlot> handler) {
		this.handler = handler;
		List<Worker> all = new ArrayList<>(concurrency);
		for (int i = 0; i < concurrency; i++) {
			all.add(new Worker(i + 1));
		}
		this.workers = List.copyOf(all);
		this.idle = new ConcurrentLinkedQueue<>(all);
		this.threadPrefix = (executor != null) ? null : "nsq-" + name + "-";
		this.classLoader = Thread.currentThread().getContextClassLoader();
		this.executor = (executor != null) ? executor : sharedPool;
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

	/** No worker starts from now on; on the shared pool, running handlers are interrupted (as a pool of the run's own would be). */
	void close() {
		this.closed = true;
		if (this.threadPrefix != null) {
			for (Worker worker : this.workers) {
				worker.interrupt();
			}
		}
	}

	/** Handles queued messages until there are none, in its slot. */
	private final class Worker extends HandlerSlot implements Runnable {

		private final int number;

		Worker(int number) {
			this.number = number;
		}

		@Override
		public void run() {
			Thread thread = Thread.currentThread();
			String sharedName = thread.getName();
			ClassLoader sharedLoader = thread.getContextClassLoader();
			String prefix = HandlerWorkers.this.threadPrefix;
			if (prefix != null) {
				thread.setName(prefix + this.number);
				thread.setContextClassLoader(HandlerWorkers.this.classLoader);
			}
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
				synchronized (this) {
					vacate();
				}
				if (prefix != null) {
					thread.setName(sharedName);
					thread.setContextClassLoader(sharedLoader);
				}
				HandlerWorkers.this.idle.offer(this);
			}
			// a message queued after the last look found no free slot: this one is free again
			if (!HandlerWorkers.this.queue.isEmpty()) {
				startWorker();
			}
		}

		/** Interrupts the handler running in this slot, never the thread after it left the slot. */
		synchronized void interrupt() {
			Thread thread = thread();
			if (thread != null) {
				thread.interrupt();
			}
		}

	}

	/** The shared pool's daemon threads, named {@code nsq-handler-<n>} while no worker runs on them. */
	private static final class SharedThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "nsq-handler-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}

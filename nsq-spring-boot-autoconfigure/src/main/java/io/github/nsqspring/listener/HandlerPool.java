package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.sproutsocial.nsq.Message;

/**
 * The handler pool of one container: at most {@code concurrency} threads, started on demand, each
 * running one delivered message at a time. A message waits in the pool's queue while every handler is
 * busy; {@link #takeQueued()} lets the drain take those messages back unstarted.
 * <p>
 * It is a {@link ForkJoinPool} rather than a {@code ThreadPoolExecutor} because its hand-off from nsq-j's
 * reader thread costs less CPU per message (see the README's benchmarks). The pool never grows beyond
 * {@code concurrency}, not even to compensate for a handler blocked in {@code CompletableFuture.join()};
 * {@code ForkJoinTask.fork()} and parallel streams inside a handler run on the listener's own threads,
 * as in any {@code ForkJoinPool}.
 */
final class HandlerPool extends ForkJoinPool {

	/** ForkJoinPool's limit on its parallelism. */
	static final int MAX_THREADS = 0x7fff;

	private static final long KEEP_ALIVE_SECONDS = 60;

	private final Consumer<Message> handler;

	private final Set<HandlerThread> handlerThreads;

	/**
	 * @param name the listener's name, for the thread names
	 * @param threads the concurrency, at most {@link #MAX_THREADS}
	 * @param handler what a handler thread does with a message
	 */
	HandlerPool(String name, int threads, Consumer<Message> handler) {
		this(new HandlerThreadFactory("nsq-" + name, Thread.currentThread().getContextClassLoader()), threads, handler);
	}

	private HandlerPool(HandlerThreadFactory factory, int threads, Consumer<Message> handler) {
		super(threads, factory, null, true, 0, threads, 1, (pool) -> true, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
		this.handler = handler;
		this.handlerThreads = factory.live;
	}

	/** Queues a message for the next free handler thread. */
	void handle(Message message) {
		execute(new HandleTask(message));
	}

	/** Removes and returns every message still waiting for a handler thread. */
	List<Message> takeQueued() {
		List<Message> queued = new ArrayList<>();
		for (ForkJoinTask<?> task = pollSubmission(); task != null; task = pollSubmission()) {
			if (task instanceof HandleTask handleTask) {
				queued.add(handleTask.message);
			}
			else {
				task.invoke();
			}
		}
		return queued;
	}

	int queuedTasks() {
		return getQueuedSubmissionCount();
	}

	/** The live handler threads of this pool. */
	Collection<HandlerThread> handlerThreads() {
		return this.handlerThreads;
	}

	/** One delivered message waiting for, or running on, a handler thread. */
	private final class HandleTask extends ForkJoinTask<Void> {

		private final Message message;

		HandleTask(Message message) {
			this.message = message;
		}

		@Override
		protected boolean exec() {
			HandlerPool.this.handler.accept(this.message);
			return true;
		}

		@Override
		public Void getRawResult() {
			return null;
		}

		@Override
		protected void setRawResult(Void value) {
		}

	}

	/**
	 * Non-daemon handler threads named after the listener, with the creating context's class loader; it
	 * keeps the live ones.
	 */
	private static final class HandlerThreadFactory implements ForkJoinWorkerThreadFactory {

		private final String prefix;

		private final ClassLoader classLoader;

		private final AtomicInteger count = new AtomicInteger();

		private final Set<HandlerThread> live = new CopyOnWriteArraySet<>();

		HandlerThreadFactory(String prefix, ClassLoader classLoader) {
			this.prefix = prefix;
			this.classLoader = classLoader;
		}

		@Override
		public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
			HandlerThread thread = new HandlerThread(pool, this.live::remove);
			thread.setName(this.prefix + "-" + this.count.incrementAndGet());
			thread.setDaemon(false);
			thread.setContextClassLoader(this.classLoader);
			this.live.add(thread);
			return thread;
		}

	}

}

package io.github.nsqspring.listener;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The handler pool of one container: at most {@code concurrency} threads, started on demand. nsq-j hands
 * it one task per delivered message. Once the container stops accepting, a new task runs at once on the
 * caller (the task then only requeues its message), and {@link #runQueuedTasks()} lets the drain requeue
 * the tasks that were queued behind busy handlers without waiting for a free thread.
 * <p>
 * It is a {@link ForkJoinPool} rather than a {@code ThreadPoolExecutor} because its hand-off from nsq-j's
 * reader thread costs less: a raw nsq-j subscriber given a 6-thread {@code ForkJoinPool} used about a
 * quarter less CPU per message (0.9-1.05 us against 1.2-1.4 us) than with nsq-j's default fixed thread
 * pool, on the 2-core machine the benchmarks ran on. The pool never grows beyond {@code concurrency},
 * not even to compensate for a handler blocked in {@code CompletableFuture.join()};
 * {@code ForkJoinTask.fork()} and parallel streams inside a handler run on the listener's own threads,
 * as in any {@code ForkJoinPool}.
 */
final class DrainAwareExecutor extends ForkJoinPool {

	private static final long KEEP_ALIVE_SECONDS = 60;

	private final BooleanSupplier accepting;

	private final Set<HandlerThread> handlerThreads;

	DrainAwareExecutor(String name, int threads, BooleanSupplier accepting) {
		this(new HandlerThreadFactory("nsq-" + name, Thread.currentThread().getContextClassLoader()), threads, accepting);
	}

	private DrainAwareExecutor(HandlerThreadFactory factory, int threads, BooleanSupplier accepting) {
		super(threads, factory, null, true, 0, threads, 1, (pool) -> true, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
		this.accepting = accepting;
		this.handlerThreads = factory.live;
	}

	@Override
	public void execute(Runnable task) {
		if (this.accepting.getAsBoolean()) {
			super.execute(task);
		}
		else {
			task.run();
		}
	}

	/** Runs every task still queued on the calling thread; returns how many there were. */
	int runQueuedTasks() {
		int run = 0;
		for (ForkJoinTask<?> task = pollSubmission(); task != null; task = pollSubmission()) {
			task.invoke();
			run++;
		}
		return run;
	}

	int queuedTasks() {
		return getQueuedSubmissionCount();
	}

	/** The live handler threads of this pool. */
	Collection<HandlerThread> handlerThreads() {
		return this.handlerThreads;
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

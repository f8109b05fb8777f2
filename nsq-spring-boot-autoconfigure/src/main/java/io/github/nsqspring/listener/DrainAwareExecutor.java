package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The handler pool of one container: {@code concurrency} threads. nsq-j hands it one task per
 * delivered message. Once the container stops accepting, a new task runs at once on the caller (the
 * task then only requeues its message), and {@link #runQueuedTasks()} lets the drain requeue the tasks
 * that were queued behind busy handlers without waiting for a free thread.
 */
final class DrainAwareExecutor extends ThreadPoolExecutor {

	private final BooleanSupplier accepting;

	DrainAwareExecutor(String name, int threads, BooleanSupplier accepting) {
		super(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), new NamedThreadFactory("nsq-" + name));
		this.accepting = accepting;
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
		List<Runnable> queued = new ArrayList<>();
		getQueue().drainTo(queued);
		queued.forEach(Runnable::run);
		return queued.size();
	}

	int queuedTasks() {
		return getQueue().size();
	}

	private static final class NamedThreadFactory implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		NamedThreadFactory(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable runnable) {
			return new Thread(runnable, this.prefix + "-" + this.count.incrementAndGet());
		}

	}

}

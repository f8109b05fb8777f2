package io.github.nsqspring.listener;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One daemon thread ({@code nsq-container-watch}) for the {@link ContainerWatch} of every running container
 * of the process: it exists while at least one watch is scheduled. No stop waits for it, so the events sent
 * on it may stop or pause their container.
 */
final class WatchScheduler {

	private static final Object monitor = new Object();

	private static @Nullable ScheduledThreadPoolExecutor executor;

	private static int scheduled;

	private WatchScheduler() {
	}

	/** Runs the task every period (after a first period) until {@link #cancel}. */
	static ScheduledFuture<?> schedule(Runnable task, long periodNanos) {
		synchronized (monitor) {
			ScheduledThreadPoolExecutor current = executor;
			if (current == null) {
				current = new ScheduledThreadPoolExecutor(1, (runnable) -> {
					Thread thread = new Thread(runnable, "nsq-container-watch");
					thread.setDaemon(true);
					return thread;
				});
				current.setRemoveOnCancelPolicy(true);
				executor = current;
			}
			scheduled++;
			return current.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
		}
	}

	/** Cancels a task, once (a running one finishes); the thread ends after the last. Never waits. */
	static void cancel(ScheduledFuture<?> task) {
		synchronized (monitor) {
			task.cancel(false);
			if (--scheduled == 0 && executor != null) {
				executor.shutdown();
				executor = null;
			}
		}
	}

}

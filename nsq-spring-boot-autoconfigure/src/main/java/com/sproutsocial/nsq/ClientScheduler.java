package com.sproutsocial.nsq;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link ContainerClient}'s scheduler, on threads every client shares: instead of nsq-j's two
 * scheduler threads per client, one daemon timer thread ({@code nsq-shared-timer}) only hands due tasks
 * over to a pool of daemon threads ({@code nsq-shared-task-<n>}, created on demand, ended after
 * {@value #KEEP_ALIVE_SECONDS} s idle). nsq-j runs lookups (up to 30 s on an nsqlookupd that does not answer),
 * connection handshakes and socket writes on its scheduler: on the pool, a task that blocks holds one thread
 * and stalls no other client. A periodic task whose last run has not ended skips its turn, so one task never
 * holds more than one thread. A periodic task may come with a check that the timer thread makes first (it
 * must be cheap and never block): a turn with nothing to do then costs no hand-over (1,000 idle listeners
 * have some 10,000 such turns a second, mostly nsq-j's FIN flush checks).
 * <p>
 * Shutting this view down cancels the client's pending tasks, refuses new ones, and
 * {@linkplain #awaitTermination awaits} the end of those that run: after its client stopped, no task of it
 * runs, and the shared threads end when idle.
 */
@NullMarked
final class ClientScheduler extends AbstractExecutorService implements ScheduledExecutorService {

	static final int KEEP_ALIVE_SECONDS = 10;

	private static final Logger logger = LoggerFactory.getLogger(ClientScheduler.class);

	private static final ScheduledThreadPoolExecutor timer = timer();

	private static final ThreadPoolExecutor tasks = new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE_SECONDS,
			TimeUnit.SECONDS, new SynchronousQueue<>(), new DaemonThreads("nsq-shared-task-"));

	private final Set<ScheduledFuture<?>> pending = ConcurrentHashMap.newKeySet();

	private final AtomicInteger running = new AtomicInteger();

	private volatile boolean shutdown;

	private static ScheduledThreadPoolExecutor timer() {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DaemonThreads("nsq-shared-timer"));
		timer.setRemoveOnCancelPolicy(true);
		timer.setKeepAliveTime(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
		timer.allowCoreThreadTimeOut(true);
		return timer;
	}

	@Override
	public void execute(Runnable task) {
		checkOpen();
		hand(task);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
		return schedule(Executors.callable(task, null), delay, unit);
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
		checkOpen();
		OneShot<V> oneShot = new OneShot<>(task);
		oneShot.trigger = track(timer.schedule(() -> hand(oneShot), delay, unit));
		return oneShot;
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
		return scheduleAtFixedRate(task, () -> true, initialDelay, period, unit);
	}

	/**
	 * Runs the task at a fixed rate, each turn only when {@code due} (asked on the timer thread) says so; a
	 * check that fails counts as due.
	 */
	ScheduledFuture<?> scheduleAtFixedRate(Runnable task, BooleanSupplier due, long initialDelay, long period,
			TimeUnit unit) {
		checkOpen();
		AtomicBoolean busy = new AtomicBoolean();
		Runnable once = () -> {
			try {
				task.run();
			}
			finally {
				busy.set(false);
			}
		};
		return track(timer.scheduleAtFixedRate(() -> {
			if (isDue(due) && busy.compareAndSet(false, true)) {
				hand(once);
			}
		}, initialDelay, period, unit));
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
		// a run never overlaps the next; the delay counts from the turn, not from the end of the run
		return scheduleAtFixedRate(task, initialDelay, delay, unit);
	}

	private static boolean isDue(BooleanSupplier due) {
		try {
			return due.getAsBoolean();
		}
		catch (RuntimeException ex) {
			// the task's own run will meet the same state, and log what it is
			return true;
		}
	}

	private <F extends ScheduledFuture<?>> F track(F future) {
		// nsq-j cancels the tasks of a closed connection: they go at the next schedule
		this.pending.removeIf(Future::isDone);
		this.pending.add(future);
		if (this.shutdown) {
			future.cancel(false);
		}
		return future;
	}

	private void hand(Runnable task) {
		this.running.incrementAndGet();
		try {
			tasks.execute(() -> {
				try {
					if (!this.shutdown || !(task instanceof OneShot<?>)) {
						task.run();
					}
				}
				catch (Throwable ex) {
					// as nsq-j's own scheduling: a failed run is logged, and a periodic task keeps its turns
					logger.error("task error", ex);
				}
				finally {
					ended();
				}
			});
		}
		catch (RejectedExecutionException ex) {
			ended();
			throw ex;
		}
	}

	private void ended() {
		if (this.running.decrementAndGet() == 0) {
			synchronized (this.running) {
				this.running.notifyAll();
			}
		}
	}

	private void checkOpen() {
		if (this.shutdown) {
			throw new RejectedExecutionException("The NSQ client is stopped");
		}
	}

	@Override
	public void shutdown() {
		this.shutdown = true;
		for (ScheduledFuture<?> future : this.pending) {
			future.cancel(false);
		}
		this.pending.clear();
	}

	@Override
	public List<Runnable> shutdownNow() {
		shutdown();
		return List.of();
	}

	@Override
	public boolean isShutdown() {
		return this.shutdown;
	}

	@Override
	public boolean isTerminated() {
		return this.shutdown && this.running.get() == 0;
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		synchronized (this.running) {
			while (!isTerminated()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.running, remaining);
			}
		}
		return true;
	}

	/** A one-shot task: its result, and its delay and cancellation through the timer's trigger. */
	private static final class OneShot<V> extends FutureTask<V> implements ScheduledFuture<V> {

		private volatile @Nullable ScheduledFuture<?> trigger;

		OneShot(Callable<V> task) {
			super(task);
		}

		@Override
		public long getDelay(TimeUnit unit) {
			ScheduledFuture<?> trigger = this.trigger;
			return (trigger != null) ? trigger.getDelay(unit) : 0;
		}

		@Override
		public int compareTo(java.util.concurrent.Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			ScheduledFuture<?> trigger = this.trigger;
			if (trigger != null) {
				trigger.cancel(false);
			}
			return super.cancel(mayInterruptIfRunning);
		}

	}

	/** Daemon threads: shared, they must never keep the JVM alive. */
	private static final class DaemonThreads implements ThreadFactory {

		private final String prefix;

		private final AtomicInteger count = new AtomicInteger();

		DaemonThreads(String prefix) {
			this.prefix = prefix;
		}

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, this.prefix.endsWith("-") ? this.prefix + this.count.incrementAndGet() : this.prefix);
			thread.setDaemon(true);
			return thread;
		}

	}

}

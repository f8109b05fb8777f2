package io.github.nsqspring.listener;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * go-nsq-style flow control of one container run. A failed message raises the backoff level and opens a
 * window of {@code flowBackoffInitial × 2^(level-1)} (capped at {@code flowBackoffMax}, jittered by
 * ±10 %) with RDY 0 on every connection; after it one message is let through (RDY 1, on one connection);
 * a success then lowers the level and opens a window again, until at level 0 the full RDY count returns.
 * A failure of the probe raises the level again. Outcomes of messages already in flight when a window
 * opened, and outcomes during a window, do not change the level.
 *
 * <p>The RDY it wants is read by the container ({@link #limit(int)}), which also decides that a paused or
 * draining container gets none; RDY changes and window timers run on one daemon thread of its own, as
 * nsq-j sets RDY under its subscriber's lock, which a hung nsqlookupd lookup holds for up to 30 s.
 */
final class FlowBackoff {

	/** No flow control: the full RDY count always. */
	static final FlowBackoff DISABLED = new FlowBackoff();

	private static final Log logger = LogFactory.getLog(FlowBackoff.class);

	private static final double WINDOW_JITTER = 0.1;

	private final ContainerProperties properties;

	private final ListenerStats stats;

	private final Runnable readyZero;

	private final Runnable updateReady;

	private final ScheduledExecutorService executor;

	private final int maxLevel;

	private int level;

	private boolean inWindow;

	private long generation;

	@SuppressWarnings("NullAway") // DISABLED has no collaborators: inactive() (no executor) returns every method before they are used
	private FlowBackoff() {
		this.properties = null;
		this.stats = null;
		this.readyZero = null;
		this.updateReady = null;
		this.executor = null;
		this.maxLevel = 0;
	}

	/**
	 * @param readyZero sends RDY 0 on every open connection at once (called on the failing thread)
	 * @param updateReady sets the subscription's RDY from the container's state and {@link #limit(int)}
	 */
	FlowBackoff(ContainerProperties properties, ListenerStats stats, Runnable readyZero, Runnable updateReady) {
		this.properties = properties;
		this.stats = stats;
		this.readyZero = readyZero;
		this.updateReady = updateReady;
		ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "nsq-backoff-" + properties.getName());
			thread.setDaemon(true);
			return thread;
		});
		scheduler.setRemoveOnCancelPolicy(true);
		this.executor = scheduler;
		this.maxLevel = levelReaching(properties.getFlowBackoffInitial().toMillis(), properties.getFlowBackoffMax().toMillis());
	}

	/** The first level whose window reaches the maximum: higher levels would change nothing. */
	private static int levelReaching(long initialMillis, long maxMillis) {
		int level = 1;
		for (long window = initialMillis; window < maxMillis && level < 62; window *= 2) {
			level++;
		}
		return level;
	}

	/** The RDY count this flow control allows out of {@code full}: 0 in a window, 1 while probing. */
	synchronized int limit(int full) {
		if (this.level == 0) {
			return full;
		}
		return this.inWindow ? 0 : Math.min(1, full);
	}

	/** A message was handled without failure. */
	void succeeded() {
		if (inactive()) {
			return;
		}
		int newLevel;
		long window;
		synchronized (this) {
			if (this.level == 0 || this.inWindow) {
				return;
			}
			newLevel = --this.level;
			window = (newLevel > 0) ? openWindow() : 0;
			this.stats.backoff(newLevel, window);
		}
		if (newLevel == 0) {
			logger.info("Listener '" + name() + "' recovered from flow backoff: RDY " + this.properties.getMaxInFlight());
			execute(this.updateReady);
		}
		else {
			logLevel(newLevel, window);
			stopDeliveries();
		}
	}

	/** A message's handler failed. */
	void failed() {
		if (inactive()) {
			return;
		}
		int newLevel;
		boolean raised;
		long window;
		synchronized (this) {
			if (this.inWindow) {
				return;
			}
			newLevel = Math.min(this.level + 1, this.maxLevel);
			raised = newLevel != this.level;
			this.level = newLevel;
			window = openWindow();
			this.stats.backoff(newLevel, window);
		}
		// at the highest level a failed probe opens another window without a level change to log
		if (raised) {
			logLevel(newLevel, window);
		}
		stopDeliveries();
	}

	/** Disabled, or closed by the drain (a handler interrupted by it may still fail). */
	private boolean inactive() {
		return this.executor == null || this.executor.isShutdown();
	}

	/** RDY 0 on the open connections at once, then for the subscription (connections a lookup opens later). */
	private void stopDeliveries() {
		this.readyZero.run();
		execute(this.updateReady);
	}

	/** Opens a window at the current level and schedules its end; returns its length. Called under the lock. */
	private long openWindow() {
		long initial = this.properties.getFlowBackoffInitial().toMillis();
		long max = this.properties.getFlowBackoffMax().toMillis();
		long window = Math.min(initial << Math.min(this.level - 1, 40), max);
		window = Math.max(1, DefaultNsqErrorHandler.jittered(window, WINDOW_JITTER));
		this.inWindow = true;
		long current = ++this.generation;
		try {
			this.executor.schedule(() -> endWindow(current), window, TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closed: the container drains and sets RDY 0 itself
		}
		return window;
	}

	private void endWindow(long windowGeneration) {
		synchronized (this) {
			if (windowGeneration != this.generation || !this.inWindow) {
				return;
			}
			this.inWindow = false;
		}
		this.updateReady.run();
	}

	private void logLevel(int newLevel, long window) {
		logger.info("Listener '" + name() + "' backs off: level " + newLevel + ", no deliveries for " + window
				+ " ms, then one message to probe");
	}

	private void execute(Runnable task) {
		try {
			this.executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			// closed: the container drains and sets RDY 0 itself
		}
	}

	/** Ends the timer thread; the drain has set RDY 0. */
	void close() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			synchronized (this) {
				this.level = 0;
				this.inWindow = false;
				this.stats.backoff(0, 0);
			}
		}
	}

	private String name() {
		return this.properties.getName();
	}

}

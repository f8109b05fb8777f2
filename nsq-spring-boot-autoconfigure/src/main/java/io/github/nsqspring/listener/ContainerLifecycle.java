package io.github.nsqspring.listener;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * The lifecycle of a listener container, the base of {@link NsqListenerContainer}: the state machine
 * ({@link ContainerState}), which transition each lifecycle call makes under one lock, and what it does
 * to the container's current {@link ContainerRun}. Each start begins a new run; each stop begins the
 * run's {@link ContainerDrain} on the stopping thread and ends it on a thread of its own. No call into
 * nsq-j's subscriber, whose lock a hung nsqlookupd lookup holds for up to 30 s, runs while the lock is
 * held.
 */
abstract class ContainerLifecycle implements SmartLifecycle {

	/** The container's logger, the category users configure. */
	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private final ContainerProperties properties;

	private final ListenerStats stats;

	private final DispatcherFactory dispatchers;

	private final Object monitor = new Object();

	private volatile ContainerState state = ContainerState.CREATED;

	private volatile @Nullable ContainerRun run;

	private volatile @Nullable DrainReport lastDrain;

	private final ContainerEventSender events;

	/** Watches the current run for idle and connection events, while running and someone is told. */
	private @Nullable ContainerWatch watch;

	/** Completes when the last drain ends: under way while DRAINING, complete in every other state. */
	private CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);

	/**
	 * @param properties the container's settings
	 * @param stats the container's counters
	 * @param dispatchers builds the dispatcher of each run
	 */
	ContainerLifecycle(ContainerProperties properties, ListenerStats stats, DispatcherFactory dispatchers) {
		this.properties = properties;
		this.stats = stats;
		this.dispatchers = dispatchers;
		this.events = new ContainerEventSender(properties.getName());
	}

	/** The container as its events name it. */
	abstract NsqMessageListenerContainer container();

	/** Who is told of this container's events (from its next start for idle and connection events). */
	void setEvents(ContainerEvents events) {
		this.events.setEvents(events);
	}

	/**
	 * Connects and starts handling: from CREATED or STOPPED, a new run, connected outside the lock. When
	 * connecting fails (nsq-j refuses an address, say) the container is left {@link ContainerState#STOPPED} with no
	 * thread running, a failed-to-start event is sent and the exception is rethrown. A started event follows
	 * the move to RUNNING.
	 */
	@Override
	public void start() {
		ContainerRun newRun = null;
		try {
			synchronized (this.monitor) {
				if (this.state != ContainerState.CREATED && this.state != ContainerState.STOPPED) {
					return;
				}
				this.state = ContainerState.STARTING;
				newRun = new ContainerRun(this.properties, this.dispatchers, this.stats,
						() -> this.state == ContainerState.RUNNING);
				this.run = newRun;
			}
			// outside the lock: the first lookup may hang on an nsqlookupd that does not answer
			newRun.subscribe();
		}
		catch (RuntimeException ex) {
			// unless a stop came first: its drain closes the run
			if (moveState(ContainerState.STARTING, ContainerState.STOPPED) && newRun != null) {
				newRun.close();
			}
			IllegalStateException failure = new IllegalStateException("Listener '" + name() + "' could not start on "
					+ this.properties.getTopic() + "/" + this.properties.getChannel() + " via "
					+ this.properties.describeConnection() + ": " + ex.getMessage(), ex);
			this.events.send("failed-to-start", (listener) -> listener.failedToStart(container(), failure));
			throw failure;
		}
		if (running(newRun)) {
			logger.debug("Started listener '" + name() + "' on " + this.properties.getTopic() + "/" + this.properties.getChannel());
			this.events.send("started", (listener) -> listener.started(container()));
		}
	}

	/** STARTING to RUNNING, with the run's watch when someone is told of events; false when a stop came first. */
	private boolean running(ContainerRun started) {
		synchronized (this.monitor) {
			if (this.state != ContainerState.STARTING) {
				return false;
			}
			this.state = ContainerState.RUNNING;
			if (this.events.isEnabled()) {
				this.watch = new ContainerWatch(container(), started, this.events, () -> this.state == ContainerState.PAUSED);
				this.watch.start();
			}
			return true;
		}
	}

	/** RUNNING to PAUSED: RDY 0 without disconnecting; delivered messages are still handled. */
	public void pause() {
		ContainerRun paused = moveState(ContainerState.RUNNING, ContainerState.PAUSED) ? this.run : null;
		if (paused != null) {
			paused.readyZero();
		}
	}

	/** PAUSED to RUNNING: restores the RDY count. */
	public void resume() {
		ContainerRun resumed = moveState(ContainerState.PAUSED, ContainerState.RUNNING) ? this.run : null;
		if (resumed != null) {
			resumed.updateReady();
		}
	}

	/**
	 * Drains and stops on the calling thread; returns when {@link ContainerState#STOPPED}, or with a WARN after
	 * the shutdown timeout plus a margin (the drain goes on).
	 */
	@Override
	public void stop() {
		StopAndWait.stop(this, this.properties.getShutdownTimeout());
	}

	/**
	 * From a running state to DRAINING, and STOPPED when the drain ends on a thread of its own. The
	 * callback runs exactly once when stopped: at once when the container is not running, and when a
	 * drain is already under way (started by another caller, such as the actuator endpoint), when it ends.
	 */
	@Override
	public void stop(Runnable callback) {
		ContainerDrain drain = null;
		ContainerWatch stoppedWatch;
		CompletableFuture<Void> stopped;
		synchronized (this.monitor) {
			if (isRunning()) {
				this.state = ContainerState.DRAINING;
				this.drained = new CompletableFuture<>();
				// a running state is only entered with its run set, under this lock
				drain = new ContainerDrain(this.properties, Objects.requireNonNull(this.run, "run"));
			}
			stoppedWatch = this.watch;
			this.watch = null;
			// STOPPED before the drain's last step, the stopped event: a listener of it may call stop
			stopped = (this.state == ContainerState.DRAINING) ? this.drained : CompletableFuture.completedFuture(null);
		}
		if (stoppedWatch != null) {
			stoppedWatch.cancel();
		}
		if (drain != null) {
			// outside the lock: RDY 0 writes to the connections
			drain.begin();
			ContainerDrain begun = drain;
			new Thread(() -> drain(begun, stopped), "nsq-drain-" + name()).start();
		}
		stopped.whenComplete((ignored, failure) -> callback.run());
	}

	/** Runs the drain; then STOPPED, the stopped event, and the callbacks. */
	private void drain(ContainerDrain drain, CompletableFuture<Void> done) {
		DrainReport report = null;
		try {
			report = drain.run(this.stats);
			this.lastDrain = report;
			logger.info("NSQ " + report);
		}
		finally {
			moveState(ContainerState.DRAINING, ContainerState.STOPPED);
			if (report != null) {
				DrainReport stoppedReport = report;
				this.events.send("stopped", (listener) -> listener.stopped(container(), stoppedReport));
			}
			done.complete(null);
		}
	}

	private boolean moveState(ContainerState from, ContainerState to) {
		synchronized (this.monitor) {
			if (this.state != from) {
				return false;
			}
			this.state = to;
			return true;
		}
	}

	/** The lifecycle state (never {@link ContainerState#BACKING_OFF}: that is the container's view). */
	ContainerState state() {
		return this.state;
	}

	/** STARTING, RUNNING or PAUSED. */
	@Override
	public boolean isRunning() {
		ContainerState current = this.state;
		return current == ContainerState.STARTING || current == ContainerState.RUNNING || current == ContainerState.PAUSED;
	}

	/** Open nsqd connections of the current run (0 when not running). */
	int connectionCount() {
		ContainerRun current = this.run;
		return (current != null && isRunning()) ? current.connectionCount() : 0;
	}

	/** TCP addresses of the nsqd of the current run's open connections (empty when not running). */
	Set<String> connectedNsqd() {
		ContainerRun current = this.run;
		return (current != null && isRunning()) ? current.connectedNsqd() : Set.of();
	}

	/** The nsqd that refused the current run, with nsqd's answer (empty when not running). */
	Map<String, String> connectionRefusals() {
		ContainerRun current = this.run;
		return (current != null && isRunning()) ? current.refusals() : Map.of();
	}

	/** The current (or last) run, or null before the first start. */
	@Nullable ContainerRun run() {
		return this.run;
	}

	/** What the last drain did, or null before the first stop. */
	@Nullable DrainReport lastDrain() {
		return this.lastDrain;
	}

	ContainerProperties properties() {
		return this.properties;
	}

	ListenerStats stats() {
		return this.stats;
	}

	DispatcherFactory dispatchers() {
		return this.dispatchers;
	}

	private String name() {
		return this.properties.getName();
	}

}

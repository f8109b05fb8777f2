package io.github.nsqspring.listener;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.sproutsocial.nsq.ContainerClient;
import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * One topic/channel consumer: its lifecycle ({@link ContainerState}) and its wiring. Each run (start to
 * stop) has an nsq-j {@code Client} and a {@link MessageDispatcher} with a pool of {@code concurrency}
 * handler threads of its own, so containers never share or starve each other's threads. {@code stop}
 * runs a {@link ContainerDrain} on a thread of its own. No call into nsq-j's subscriber, whose lock a hung
 * nsqlookupd lookup holds for up to 30 s, runs while this container's lifecycle lock is held.
 */
public class NsqListenerContainer implements SmartLifecycle {

	/** Phase of the registry: late start, early stop. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private final long id;

	private final ContainerProperties properties;

	private final NsqMessageListener listener;

	private final NsqDeadLetterHandler deadLetterHandler;

	private final ListenerStats stats = new ListenerStats();

	private final Object lifecycleMonitor = new Object();

	private volatile ContainerState state = ContainerState.CREATED;

	private volatile @Nullable ContainerClient client;

	private volatile @Nullable MessageDispatcher dispatcher;

	private volatile @Nullable DrainReport lastDrain;

	private CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);

	private volatile MessageObserver.OutcomeObserver outcomeObserver = MessageObserver.OutcomeObserver.NONE;

	private final boolean observationEnabled;

	private volatile ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	private volatile @Nullable NsqListenerObservationConvention observationConvention;

	/** A container with a unique id (a snowflake id in the registry), what to consume, its handler and dead-letter path. */
	public NsqListenerContainer(long id, ContainerProperties properties, NsqMessageListener listener,
			NsqDeadLetterHandler deadLetterHandler) {
		if (!properties.usesLookupd() && properties.getNsqdAddresses().isEmpty()) {
			throw new IllegalArgumentException("Listener '" + properties.getName()
					+ "' has neither nsqlookupd nor nsqd addresses to connect to");
		}
		this.id = id;
		this.properties = properties;
		this.listener = listener;
		this.deadLetterHandler = deadLetterHandler;
		this.observationEnabled = properties.isObservationEnabled();
	}

	/** Lets the observer (metrics) observe this container's counters and every outcome of its messages; one at a time. */
	public void setMessageObserver(@Nullable MessageObserver observer) {
		this.outcomeObserver = (observer != null) ? observer.observe(this.properties, this.stats)
				: MessageObserver.OutcomeObserver.NONE;
	}

	/**
	 * The registry of the {@code nsq.listener} observations of this container's messages (from its next
	 * start); used only when the container's properties enabled observations when it was created.
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.observationRegistry = (observationRegistry != null) ? observationRegistry : ObservationRegistry.NOOP;
	}

	/** The convention of those observations, or null for the default (from the container's next start). */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.observationConvention = observationConvention;
	}

	/**
	 * Connects and starts handling. When connecting fails (a bad address, say) the container is left
	 * {@link ContainerState#STOPPED} with no thread running, and the exception is rethrown.
	 */
	@Override
	@SuppressWarnings("NullAway") // newClient is set before newDispatcher, so the catch block drains with both set
	public void start() {
		ContainerClient newClient = null;
		MessageDispatcher newDispatcher = null;
		try {
			synchronized (this.lifecycleMonitor) {
				if (this.state != ContainerState.CREATED && this.state != ContainerState.STOPPED) {
					return;
				}
				this.state = ContainerState.STARTING;
				newClient = new ContainerClient(this.properties);
				newDispatcher = new MessageDispatcher(this.properties, this.listener, this.deadLetterHandler, this.stats,
						this.outcomeObserver, new ListenerObservations(this.properties,
								this.observationEnabled ? this.observationRegistry : ObservationRegistry.NOOP,
								this.observationConvention));
				if (this.properties.isFlowBackoff()) {
					ContainerClient throttled = newClient;
					newDispatcher.setFlowBackoff(new FlowBackoff(this.properties, this.stats, throttled::readyZero,
							() -> throttled.setMaxInFlight(this::maxInFlightForState)));
				}
				this.client = newClient;
				this.dispatcher = newDispatcher;
				this.stats.inFlightFrom(newDispatcher::inFlightCount);
			}
			// outside the lock: the first lookup may hang on an nsqlookupd that does not answer
			newClient.subscribe(newDispatcher::deliver, this.properties.isAutoTouch() ? newDispatcher.touchTask() : null);
		}
		catch (RuntimeException ex) {
			if (moveState(ContainerState.STARTING, ContainerState.STOPPED) && newDispatcher != null) {
				new ContainerDrain(this.properties, newClient, newDispatcher).close();
			}
			throw new IllegalStateException("Listener '" + getName() + "' could not start on " + getTopic() + "/" + getChannel()
					+ " via " + this.properties.describeConnection() + ": " + ex.getMessage(), ex);
		}
		moveState(ContainerState.STARTING, ContainerState.RUNNING);
		logger.debug("Started listener '" + getName() + "' on " + getTopic() + "/" + getChannel());
	}

	/** RDY 0 without disconnecting: no new deliveries; delivered messages are still handled. */
	@SuppressWarnings("NullAway") // the client is set whenever the state is RUNNING or PAUSED
	public void pause() {
		if (moveState(ContainerState.RUNNING, ContainerState.PAUSED)) {
			this.client.readyZero();
			this.client.setMaxInFlight(this::maxInFlightForState);
		}
	}

	/** Restores the RDY count after {@link #pause()}. */
	@SuppressWarnings("NullAway") // the client is set whenever the state is RUNNING or PAUSED
	public void resume() {
		if (moveState(ContainerState.PAUSED, ContainerState.RUNNING)) {
			this.client.setMaxInFlight(this::maxInFlightForState);
		}
	}

	private boolean moveState(ContainerState from, ContainerState to) {
		synchronized (this.lifecycleMonitor) {
			if (this.state != from) {
				return false;
			}
			this.state = to;
			return true;
		}
	}

	@SuppressWarnings("NullAway") // the dispatcher is set whenever the state is RUNNING
	private int maxInFlightForState() {
		return (this.state == ContainerState.RUNNING) ? this.dispatcher.flowBackoff().limit(this.properties.getMaxInFlight()) : 0;
	}

	/** Drains and stops on the calling thread; returns when {@link ContainerState#STOPPED}. */
	@Override
	public void stop() {
		StopAndWait.stop(this);
	}

	/**
	 * Drains and stops on a thread of its own and runs the callback exactly once when stopped: at once
	 * when the container is not running, and when a drain is already under way (started by another
	 * caller, such as the actuator endpoint), when that drain ends.
	 */
	@Override
	@SuppressWarnings("NullAway") // client and dispatcher are set whenever the container is running
	public void stop(Runnable callback) {
		CompletableFuture<Void> stopped;
		ContainerDrain drain = null;
		synchronized (this.lifecycleMonitor) {
			if (this.state == ContainerState.DRAINING) {
				stopped = this.drained;
			}
			else if (!isRunning()) {
				stopped = CompletableFuture.completedFuture(null);
			}
			else {
				this.state = ContainerState.DRAINING;
				drain = new ContainerDrain(this.properties, this.client, this.dispatcher);
				stopped = new CompletableFuture<>();
				this.drained = stopped;
			}
		}
		if (drain != null) {
			// outside the monitor: RDY 0 writes to the connections
			drain.begin();
			ContainerDrain started = drain;
			CompletableFuture<Void> done = stopped;
			new Thread(() -> drain(started, done), "nsq-drain-" + getName()).start();
		}
		stopped.whenComplete((ignored, failure) -> callback.run());
	}

	private void drain(ContainerDrain drain, CompletableFuture<Void> done) {
		try {
			this.lastDrain = drain.run(this.stats);
			logger.info("NSQ " + this.lastDrain);
		}
		finally {
			moveState(ContainerState.DRAINING, ContainerState.STOPPED);
			done.complete(null);
		}
	}

	@Override
	public boolean isRunning() {
		ContainerState current = this.state;
		return current == ContainerState.STARTING || current == ContainerState.RUNNING || current == ContainerState.PAUSED;
	}

	@Override
	public boolean isAutoStartup() {
		return this.properties.isAutoStartup();
	}

	public long getId() {
		return this.id;
	}

	public String getName() {
		return this.properties.getName();
	}

	public String getTopic() {
		return this.properties.getTopic();
	}

	public String getChannel() {
		return this.properties.getChannel();
	}

	public ContainerProperties getContainerProperties() {
		return this.properties;
	}

	/** The lifecycle state; {@link ContainerState#BACKING_OFF} while running at a flow backoff level above 0. */
	public ContainerState getState() {
		ContainerState current = this.state;
		return (current == ContainerState.RUNNING && this.stats.getBackoffLevel() > 0) ? ContainerState.BACKING_OFF : current;
	}

	/** The counters of this container's messages, and its messages in flight. */
	public ListenerStats getStats() {
		return this.stats;
	}

	/** Messages delivered and not yet finished or requeued: queued for a handler, running, or awaiting a manual ack. */
	public int getInFlightCount() {
		return this.stats.getInFlight();
	}

	public long getFinishedCount() {
		return this.stats.getFinished();
	}

	public long getRequeuedCount() {
		return this.stats.getRequeued();
	}

	public long getDeadLetteredCount() {
		return this.stats.getDeadLettered();
	}

	public long getRequeuedOnShutdownCount() {
		return this.stats.getRequeuedOnShutdown();
	}

	/** Handler invocations that threw. */
	public long getFailedCount() {
		return this.stats.getFailed();
	}

	/** Open nsqd connections (0 when not running). */
	public int getConnectionCount() {
		ContainerClient current = this.client;
		return (current != null && isRunning()) ? current.connectionCount() : 0;
	}

	/**
	 * The nsqd that refused this container at its last attempt (TLS handshake, AUTH or SUB), by address,
	 * with nsqd's answer; empty when none did or the container is not running.
	 */
	public Map<String, String> getConnectionRefusals() {
		ContainerClient current = this.client;
		return (current != null && isRunning()) ? current.refusals() : Map.of();
	}

	/** What the last drain did, or null before the first stop. */
	public @Nullable DrainReport getLastDrain() {
		return this.lastDrain;
	}

	@Override
	public String toString() {
		return "NsqListenerContainer[id=" + this.id + ", name=" + getName() + ", " + getTopic() + "/" + getChannel() + ", "
				+ this.state + "]";
	}

}

package io.github.nsqspring.listener;

import java.util.Map;

import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * One topic/channel consumer: its settings, observers and counters, and its lifecycle
 * ({@link ContainerState}), which a {@link ContainerLifecycle} runs. Each run (start to stop) is a
 * {@link ContainerRun}: an nsq-j client and a {@link MessageDispatcher} with a pool of {@code concurrency}
 * handler threads of its own, so containers never share or starve each other's threads. {@code stop}
 * begins the run's {@link ContainerDrain} and ends it on a thread of its own. No call into nsq-j's
 * subscriber, whose lock a hung nsqlookupd lookup holds for up to 30 s, runs while the container's
 * lifecycle lock is held.
 */
public class NsqListenerContainer implements SmartLifecycle {

	/** Phase of the registry: late start, early stop. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private final long id;

	private final ContainerProperties properties;

	private final ListenerStats stats = new ListenerStats();

	private final DispatcherFactory dispatchers;

	private final ContainerLifecycle lifecycle;

	/** A container with a unique id (a snowflake id in the registry), what to consume, its handler and dead-letter path. */
	public NsqListenerContainer(long id, ContainerProperties properties, NsqMessageListener listener,
			NsqDeadLetterHandler deadLetterHandler) {
		if (!properties.usesLookupd() && properties.getNsqdAddresses().isEmpty()) {
			throw new IllegalArgumentException("Listener '" + properties.getName()
					+ "' has neither nsqlookupd nor nsqd addresses to connect to");
		}
		this.id = id;
		this.properties = properties;
		this.dispatchers = new DispatcherFactory(properties, listener, deadLetterHandler, this.stats);
		this.lifecycle = new ContainerLifecycle(properties, this.stats, this.dispatchers);
	}

	/** Lets the observer (metrics) observe this container's counters and every outcome of its messages; one at a time. */
	public void setMessageObserver(@Nullable MessageObserver observer) {
		this.dispatchers.setMessageObserver(observer);
	}

	/**
	 * The registry of the {@code nsq.listener} observations of this container's messages (from its next
	 * start); used only when the container's properties enabled observations when it was created.
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		this.dispatchers.setObservationRegistry(observationRegistry);
	}

	/** The convention of those observations, or null for the default (from the container's next start). */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		this.dispatchers.setObservationConvention(observationConvention);
	}

	/**
	 * Connects and starts handling. When connecting fails (a bad address, say) the container is left
	 * {@link ContainerState#STOPPED} with no thread running, and the exception is rethrown.
	 */
	@Override
	public void start() {
		this.lifecycle.start();
	}

	/** RDY 0 without disconnecting: no new deliveries; delivered messages are still handled. */
	public void pause() {
		this.lifecycle.pause();
	}

	/** Restores the RDY count after {@link #pause()}. */
	public void resume() {
		this.lifecycle.resume();
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
	public void stop(Runnable callback) {
		this.lifecycle.stop(callback);
	}

	@Override
	public boolean isRunning() {
		return this.lifecycle.isRunning();
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
		ContainerState current = this.lifecycle.state();
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
		return this.lifecycle.connectionCount();
	}

	/**
	 * The nsqd that refused this container at its last attempt (TLS handshake, AUTH or SUB), by address,
	 * with nsqd's answer; empty when none did or the container is not running.
	 */
	public Map<String, String> getConnectionRefusals() {
		return this.lifecycle.connectionRefusals();
	}

	/** What the last drain did, or null before the first stop. */
	public @Nullable DrainReport getLastDrain() {
		return this.lifecycle.lastDrain();
	}

	@Override
	public String toString() {
		return "NsqListenerContainer[id=" + this.id + ", name=" + getName() + ", " + getTopic() + "/" + getChannel() + ", "
				+ this.lifecycle.state() + "]";
	}

}

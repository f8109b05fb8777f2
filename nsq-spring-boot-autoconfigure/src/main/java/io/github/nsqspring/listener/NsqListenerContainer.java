package io.github.nsqspring.listener;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import io.github.nsqspring.observation.NsqListenerObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * One topic/channel consumer: its settings, observers and counters; its lifecycle
 * ({@link ContainerState}: start, pause, resume, the drain on stop) is {@link ContainerLifecycle}'s. Each
 * run (start to stop) is a {@link ContainerRun}: an nsq-j client and a {@link MessageDispatcher} that runs
 * at most {@code concurrency} handlers at once, on a pool of its own or on the container's task executor.
 */
public class NsqListenerContainer extends ContainerLifecycle implements NsqMessageListenerContainer {

	/** Phase of the registry: late start, early stop. */
	public static final int DEFAULT_PHASE = LISTENER_PHASE;

	private final long id;

	/** A container with a unique id (a snowflake id in the registry), what to consume, its handler and dead-letter path. */
	public NsqListenerContainer(long id, ContainerProperties properties, NsqMessageListener listener,
			NsqDeadLetterHandler deadLetterHandler) {
		this(id, requireAddresses(properties), new ListenerStats(), listener, deadLetterHandler);
	}

	private NsqListenerContainer(long id, ContainerProperties properties, ListenerStats stats, NsqMessageListener listener,
			NsqDeadLetterHandler deadLetterHandler) {
		super(properties, stats, new DispatcherFactory(properties, listener, deadLetterHandler, stats));
		this.id = id;
	}

	private static ContainerProperties requireAddresses(ContainerProperties properties) {
		if (!properties.usesLookupd() && properties.getNsqdAddresses().isEmpty()) {
			throw new IllegalArgumentException("Listener '" + properties.getName()
					+ "' has neither nsqlookupd nor nsqd addresses to connect to");
		}
		return properties;
	}

	/** Lets the observer (metrics) observe this container's counters and every outcome of its messages; one at a time. */
	public void setMessageObserver(@Nullable MessageObserver observer) {
		dispatchers().setMessageObserver(observer);
	}

	/**
	 * The registry of the {@code nsq.listener} observations of this container's messages (from its next
	 * start); used only when the container's properties enabled observations when it was created.
	 */
	public void setObservationRegistry(@Nullable ObservationRegistry observationRegistry) {
		dispatchers().setObservationRegistry(observationRegistry);
	}

	/** The convention of those observations, or null for the default (from the container's next start). */
	public void setObservationConvention(@Nullable NsqListenerObservationConvention observationConvention) {
		dispatchers().setObservationConvention(observationConvention);
	}

	/**
	 * Runs the handlers of this container (from its next start), at most {@code concurrency} at once; null (the
	 * default) for a pool of each run's own. The container never shuts it down.
	 */
	public void setTaskExecutor(@Nullable Executor taskExecutor) {
		dispatchers().setTaskExecutor(taskExecutor);
	}

	@Override
	public long getId() {
		return this.id;
	}

	@Override
	public String getName() {
		return properties().getName();
	}

	@Override
	public String getTopic() {
		return properties().getTopic();
	}

	@Override
	public String getChannel() {
		return properties().getChannel();
	}

	@Override
	public ContainerProperties getContainerProperties() {
		return properties();
	}

	/** The lifecycle state; {@link ContainerState#BACKING_OFF} while running at a flow backoff level above 0. */
	@Override
	public ContainerState getState() {
		ContainerState current = state();
		return (current == ContainerState.RUNNING && stats().getBackoffLevel() > 0) ? ContainerState.BACKING_OFF : current;
	}

	/** The counters of this container's messages, and its messages in flight. */
	@Override
	public ListenerStats getStats() {
		return stats();
	}

	/** Open nsqd connections (0 when not running). */
	@Override
	public int getConnectionCount() {
		return connectionCount();
	}

	/**
	 * TCP addresses ({@code host:port}) of the nsqd this container has an open connection to (nsqd
	 * accepted its subscription); empty when it is not running.
	 */
	@Override
	public Set<String> getConnectedNsqdAddresses() {
		return connectedNsqd();
	}

	/**
	 * The nsqd that refused this container at its last attempt (TLS handshake, AUTH or SUB), by address,
	 * with nsqd's answer; empty when none did or the container is not running.
	 */
	@Override
	public Map<String, String> getConnectionRefusals() {
		return connectionRefusals();
	}

	/** What the last drain did, or null before the first stop. */
	@Override
	public @Nullable DrainReport getLastDrain() {
		return lastDrain();
	}

	@Override
	public String toString() {
		return "NsqListenerContainer[id=" + this.id + ", name=" + getName() + ", " + getTopic() + "/" + getChannel() + ", "
				+ state() + "]";
	}

}

package io.github.nsqspring.listener;

import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * A listener container as the registry, the actuator endpoint, health and metrics see it: one topic/channel
 * consumer with a lifecycle ({@link ContainerState}: start, pause, resume, and a drain on stop), its
 * settings, counters and last drain. {@link NsqListenerContainer} is the implementation.
 */
public interface NsqMessageListenerContainer extends SmartLifecycle {

	/** Phase of the registry and its containers: late start, early stop. */
	int LISTENER_PHASE = Integer.MAX_VALUE - 100;

	/** The unique id (a snowflake id in the registry). */
	long getId();

	/** A readable, unique name for logs, metrics and lookups. */
	String getName();

	String getTopic();

	String getChannel();

	ContainerProperties getContainerProperties();

	/** The lifecycle state; {@link ContainerState#BACKING_OFF} while running at a flow backoff level above 0. */
	ContainerState getState();

	/** The counters of this container's messages, and its messages in flight. */
	ListenerStats getStats();

	/** What the last drain did, or null before the first stop. */
	@Nullable DrainReport getLastDrain();

	/** RUNNING to PAUSED: no more deliveries, without disconnecting; delivered messages are still handled. */
	void pause();

	/** PAUSED to RUNNING. */
	void resume();

	/** Open nsqd connections (0 when not running). */
	int getConnectionCount();

	/**
	 * The nsqd that refused this container at its last attempt (TLS handshake, AUTH or SUB), by address,
	 * with nsqd's answer; empty when none did or the container is not running.
	 */
	Map<String, String> getConnectionRefusals();

	/**
	 * TCP addresses ({@code host:port}) of the nsqd this container has an open connection to (nsqd accepted
	 * its subscription); empty when it is not running.
	 */
	Set<String> getConnectedNsqdAddresses();

	@Override
	default boolean isAutoStartup() {
		return getContainerProperties().isAutoStartup();
	}

	@Override
	default int getPhase() {
		return LISTENER_PHASE;
	}

	/** Messages delivered and not yet finished or requeued: queued for a handler, running, or awaiting a manual ack. */
	default int getInFlightCount() {
		return getStats().getInFlight();
	}

	default long getFinishedCount() {
		return getStats().getFinished();
	}

	default long getRequeuedCount() {
		return getStats().getRequeued();
	}

	default long getDeadLetteredCount() {
		return getStats().getDeadLettered();
	}

	default long getRequeuedOnShutdownCount() {
		return getStats().getRequeuedOnShutdown();
	}

	/** Handler invocations that threw. */
	default long getFailedCount() {
		return getStats().getFailed();
	}

}

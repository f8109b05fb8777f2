package io.github.nsqspring.listener;

import java.time.Duration;

/**
 * Told what happens to a listener container: it started, failed to start, stopped, went idle, lost or got
 * back its connection to an nsqd. {@code io.github.nsqspring.listener.event.NsqListenerContainerEventPublisher}
 * turns each into an application event; a container without one ({@link #NONE}, the default of a container
 * built by hand) tells nothing and watches nothing. Calls come outside the container's lifecycle lock, and
 * none on a thread that a stop called from it would wait for (the stopped event comes once the container is
 * STOPPED, when a stop returns at once), so an implementation may stop, pause or resume the container; an
 * exception it throws is logged and does not change the container.
 */
public interface ContainerEvents {

	/** Tells nothing. */
	ContainerEvents NONE = new ContainerEvents() {
	};

	/** The container connected (or is looking for nsqd) and runs: on the thread that started it. */
	default void started(NsqMessageListenerContainer container) {
	}

	/** The container could not start, or the startup policy failed it: on the thread that started it. */
	default void failedToStart(NsqMessageListenerContainer container, Throwable cause) {
	}

	/** The container drained and stopped: on its drain thread, before the callbacks of its stop run. */
	default void stopped(NsqMessageListenerContainer container, DrainReport report) {
	}

	/**
	 * No message for the idle-event interval, and again each interval while none comes.
	 * @param idleTime time since the last message (or since the start)
	 * @param paused whether the container is paused
	 */
	default void idle(NsqMessageListenerContainer container, Duration idleTime, boolean paused) {
	}

	/** A connection to this nsqd ({@code host:port}) closed and was not back within the reconnect grace. */
	default void connectionLost(NsqMessageListenerContainer container, String nsqdAddress, Duration downtime) {
	}

	/** A connection to an nsqd that was reported lost is open again. */
	default void connectionRestored(NsqMessageListenerContainer container, String nsqdAddress, Duration downtime) {
	}

}

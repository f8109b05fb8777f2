package io.github.nsqspring.listener;

/**
 * The life of a listener container: {@code CREATED → STARTING → RUNNING ⇄ PAUSED → DRAINING → STOPPED},
 * and from {@code STOPPED} back to {@code STARTING} when started again.
 */
public enum ContainerState {

	/** Built, never started. */
	CREATED,

	/** Connecting to nsqd. */
	STARTING,

	/** Receiving and handling messages. */
	RUNNING,

	/**
	 * Running under flow backoff after failures: RDY 0 for a window, then RDY 1 to probe, until successes
	 * bring the full RDY count back (reported by {@code getState()}; the lifecycle treats it as running).
	 */
	BACKING_OFF,

	/** Connected with RDY 0: no new deliveries; messages already delivered are still handled. */
	PAUSED,

	/** Stopping: no new deliveries, waiting for running handlers, requeuing everything else. */
	DRAINING,

	/** Disconnected; no thread of the container is left. */
	STOPPED

}

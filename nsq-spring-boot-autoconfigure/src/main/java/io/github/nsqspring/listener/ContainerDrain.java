package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The drain of one container, DESIGN's shutdown protocol as ordered steps, each a method of its own:
 * <ol>
 * <li>{@link #begin()}, on the thread that stops the container: RDY 0 on every connection, so nsqd sends
 * no more, and only then no listener call starts: a message that arrives from now on is requeued as it
 * arrives;</li>
 * <li>{@link #requeueUnstarted()}: every message delivered but not yet started by a handler goes back
 * to nsqd (REQ 0) unhandled;</li>
 * <li>{@link #awaitRunningHandlers()}: wait for the running handlers on a signal, at most
 * {@code shutdownTimeout}; the container's TOUCH task keeps long ones alive meanwhile;</li>
 * <li>{@link #abandonRunningHandlers()}: at the timeout, requeue (REQ 0) the messages of handlers
 * still running and interrupt them, with one WARN;</li>
 * <li>{@link #closeConnections()}: flush, CLS, await nsqd's CLOSE_WAIT; then the run closes its
 * connections, scheduler and handler workers.</li>
 * </ol>
 * The container is {@link ContainerState#DRAINING} before this begins and {@link ContainerState#STOPPED}
 * after; {@link #run} does the steps after the first on a thread of its own.
 */
final class ContainerDrain {

	private static final Log logger = LogFactory.getLog(ContainerDrain.class);

	private static final long CLOSE_WAIT_MILLIS = 1000;

	private final ContainerProperties properties;

	private final ContainerRun run;

	private final long deadlineNanos;

	/**
	 * @param properties the container's settings (name, shutdown timeout)
	 * @param run the container's run to drain
	 */
	ContainerDrain(ContainerProperties properties, ContainerRun run) {
		this.properties = properties;
		this.run = run;
		this.deadlineNanos = System.nanoTime() + properties.getShutdownTimeout().toNanos();
	}

	/** Runs the steps after {@link #begin()}; the connections and threads are closed also when a step fails. */
	DrainReport run(ListenerStats stats) {
		long start = System.nanoTime();
		long requeuedBefore = stats.getRequeuedOnShutdown();
		int awaited = 0;
		List<String> abandoned = List.of();
		int closed = 0;
		try {
			requeueUnstarted();
			awaited = awaitRunningHandlers();
			abandoned = abandonRunningHandlers();
			closed = closeConnections();
		}
		catch (RuntimeException ex) {
			logger.error("Listener '" + name() + "' failed while draining; closing its connections", ex);
		}
		finally {
			this.run.close();
		}
		return new DrainReport(name(), awaited, stats.getRequeuedOnShutdown() - requeuedBefore - abandoned.size(), abandoned,
				closed, Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * Step 1. RDY 0 goes to the open connections directly, before the dispatcher refuses deliveries: a
	 * refused delivery is requeued at once, and with RDY left up nsqd could send it straight back, again
	 * and again (each time one attempt more).
	 */
	void begin() {
		this.run.stopDelivering();
	}

	/** Step 2, and again after CLS for a delivery that raced it. */
	private void requeueUnstarted() {
		this.run.requeueQueued();
	}

	/** Step 3; returns how many handlers (or unacknowledged messages) there were to wait for. */
	private int awaitRunningHandlers() {
		UnacknowledgedMessages unacknowledged = this.run.unacknowledged();
		int running = unacknowledged.size();
		try {
			unacknowledged.awaitAllAcknowledged(this.deadlineNanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return running;
	}

	/** Step 4; returns the ids of the messages it requeued. */
	private List<String> abandonRunningHandlers() {
		List<String> ids = new ArrayList<>();
		Set<DeliveredMessage> requeued = new HashSet<>();
		UnacknowledgedMessages unacknowledged = this.run.unacknowledged();
		unacknowledged.forEach((message, thread) -> {
			if (message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO)) {
				ids.add(message.id());
				requeued.add(message);
			}
		});
		// once every message is requeued: an interrupted batch listener that returns finishes none of its batch
		unacknowledged.interruptHandlersOf(requeued);
		if (!ids.isEmpty()) {
			logger.warn("Listener '" + name() + "' requeued " + ids.size() + " message(s) whose handling did not end within "
					+ "the shutdown timeout of " + this.properties.getShutdownTimeout() + " and interrupted their handlers: "
					+ ids);
		}
		return ids;
	}

	/** Step 5; returns how many connections nsqd confirmed with CLOSE_WAIT. */
	private int closeConnections() {
		int closed = this.run.closeConnections(CLOSE_WAIT_MILLIS);
		requeueUnstarted();
		return closed;
	}

	private String name() {
		return this.properties.getName();
	}

}

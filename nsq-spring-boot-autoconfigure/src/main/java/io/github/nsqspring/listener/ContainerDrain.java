package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sproutsocial.nsq.ContainerClient;
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
 * <li>{@link #closeConnections()}: flush, CLS, await nsqd's CLOSE_WAIT; then {@link #close()}: the
 * connections, the scheduler and the handler workers.</li>
 * </ol>
 * The container is {@link ContainerState#DRAINING} before this begins and {@link ContainerState#STOPPED}
 * after; {@link #run} does the steps after the first on a thread of its own.
 */
final class ContainerDrain {

	private static final Log logger = LogFactory.getLog(ContainerDrain.class);

	private static final long CLOSE_WAIT_MILLIS = 1000;

	private static final int CLIENT_STOP_MILLIS = 2000;

	private final ContainerProperties properties;

	private final ContainerClient client;

	private final MessageDispatcher dispatcher;

	private final long deadlineNanos;

	/**
	 * @param properties the container's settings (name, shutdown timeout)
	 * @param run the container's run to drain: its nsq-j client and its dispatcher
	 */
	ContainerDrain(ContainerProperties properties, ContainerRun run) {
		this.properties = properties;
		this.client = run.client();
		this.dispatcher = run.dispatcher();
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
			close();
		}
		return new DrainReport(name(), awaited, stats.getRequeuedOnShutdown() - requeuedBefore - abandoned.size(), abandoned,
				closed, Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * Step 1. RDY 0 goes to the open connections directly, before the dispatcher refuses deliveries: a
	 * refused delivery is requeued at once, and with RDY left up nsqd could send it straight back, again
	 * and again (each time one attempt more). The subscription's RDY 0, for connections a lookup opens
	 * later, goes on a thread of its own, as nsq-j sets it under its subscriber's lock, which a lookup of
	 * an nsqlookupd that does not answer holds for up to 30 s.
	 */
	void begin() {
		this.client.readyZero();
		this.dispatcher.stopAccepting();
		Thread thread = new Thread(() -> this.client.setMaxInFlight(() -> 0), "nsq-ready-zero-" + name());
		thread.setDaemon(true);
		thread.start();
	}

	/** Step 2, and again after CLS for a delivery that raced it. */
	private void requeueUnstarted() {
		this.dispatcher.requeueQueued();
	}

	/** Step 3; returns how many handlers (or unacknowledged messages) there were to wait for. */
	private int awaitRunningHandlers() {
		UnacknowledgedMessages unacknowledged = this.dispatcher.unacknowledged();
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
		this.dispatcher.unacknowledged().forEach((message, thread) -> {
			if (message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO)) {
				ids.add(message.id());
				if (thread != null) {
					thread.interrupt();
				}
			}
		});
		if (!ids.isEmpty()) {
			logger.warn("Listener '" + name() + "' requeued " + ids.size() + " message(s) whose handling did not end within "
					+ "the shutdown timeout of " + this.properties.getShutdownTimeout() + " and interrupted their handlers: "
					+ ids);
		}
		return ids;
	}

	/** Step 5; returns how many connections nsqd confirmed with CLOSE_WAIT. */
	private int closeConnections() {
		int closed = this.client.closeConnections(CLOSE_WAIT_MILLIS);
		requeueUnstarted();
		return closed;
	}

	/** Step 5, last: no thread of the container survives (also after a failed start). */
	void close() {
		this.client.stop(CLIENT_STOP_MILLIS);
		this.dispatcher.close();
	}

	private String name() {
		return this.properties.getName();
	}

}

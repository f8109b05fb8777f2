package io.github.nsqspring.listener;

import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.sproutsocial.nsq.ContainerClient;
import com.sproutsocial.nsq.Message;
import org.jspecify.annotations.Nullable;

/**
 * One run of a container, from start to stop: its nsq-j {@link ContainerClient}, its
 * {@link MessageDispatcher} (with handler workers of its own), its {@link FlowBackoff} when enabled, and
 * the RDY rule that ties them to the container's state: the full RDY count, or the flow backoff's limit
 * of it, while the container delivers; 0 otherwise. Each method that calls into nsq-j's subscriber may
 * wait for its lock (a hung nsqlookupd lookup holds it for up to 30 s): call them without holding a lock
 * that stopping needs.
 */
final class ContainerRun {

	private static final int CLIENT_STOP_MILLIS = 2000;

	private final ContainerProperties properties;

	private final ContainerClient client;

	private final MessageDispatcher dispatcher;

	private final BooleanSupplier delivering;

	private final @Nullable NsqdChannelDepths depths;

	private volatile long lastDeliveryNanos = System.nanoTime();

	/**
	 * Creates the client and the dispatcher; connects nothing yet.
	 * @param properties the container's settings
	 * @param dispatchers builds the dispatcher
	 * @param stats the container's counters: they count this run's messages in flight from now on
	 * @param delivering whether the container's state lets nsqd deliver (running, not paused or draining)
	 */
	ContainerRun(ContainerProperties properties, DispatcherFactory dispatchers, ListenerStats stats,
			BooleanSupplier delivering) {
		this.properties = properties;
		this.delivering = delivering;
		this.depths = properties.isBacklogAwareRdy() ? new NsqdChannelDepths(properties) : null;
		this.client = new ContainerClient(properties, this.depths);
		if (this.depths != null) {
			this.depths.onBacklogFound(this.client);
		}
		try {
			this.dispatcher = dispatchers.create(new BatchIntake.Scheduler() {

				@Override
				public void schedule(Runnable task, long delayMillis) {
					ContainerRun.this.client.scheduleOnce(task, delayMillis);
				}

				@Override
				public void flush() {
					ContainerRun.this.client.flush();
				}

			});
		}
		catch (RuntimeException ex) {
			// the client's tasks are scheduled already
			this.client.stop();
			throw ex;
		}
		if (properties.isFlowBackoff()) {
			this.dispatcher.setFlowBackoff(new FlowBackoff(properties, stats, this.client::readyZero, this::updateReady));
		}
		stats.inFlightFrom(this.dispatcher::inFlightCount);
	}

	/** Subscribes and connects, with the dispatcher's TOUCH task when auto-touch is on; may wait for a lookup. */
	void subscribe() {
		this.client.subscribe(this::deliver, this.properties.isAutoTouch() ? this.dispatcher.touchTask() : null,
				this.dispatcher::mayHaveUnacknowledged);
	}

	/** A message from nsq-j, on its reader thread. */
	void deliver(Message message) {
		this.lastDeliveryNanos = System.nanoTime();
		this.dispatcher.deliver(message);
	}

	/** {@link System#nanoTime()} of the last delivery, or of the creation of the run before the first. */
	long lastDeliveryNanos() {
		return this.lastDeliveryNanos;
	}

	/** RDY 0 on every open connection at once, then the subscription's RDY by the rule (0 once paused). */
	void readyZero() {
		this.client.readyZero();
		updateReady();
	}

	/** Sets the subscription's RDY by the rule, for open connections and those opened later. */
	void updateReady() {
		this.client.setMaxInFlight(this::maxInFlight);
	}

	private int maxInFlight() {
		return this.delivering.getAsBoolean() ? this.dispatcher.flowBackoff().limit(this.properties.getMaxInFlight()) : 0;
	}

	/**
	 * RDY 0 on the open connections at once, and only then no listener call starts: a message that arrives
	 * from now on is requeued as it arrives. The subscription's RDY 0, for connections a lookup opens later,
	 * goes on a thread of its own, as nsq-j sets it under its subscriber's lock, which a lookup of an
	 * nsqlookupd that does not answer holds for up to 30 s.
	 */
	void stopDelivering() {
		this.client.readyZero();
		this.dispatcher.stopAccepting();
		Thread thread = new Thread(() -> this.client.setMaxInFlight(() -> 0), "nsq-ready-zero-" + this.properties.getName());
		thread.setDaemon(true);
		thread.start();
	}

	/** REQ 0 for every message still waiting for a handler. */
	void requeueQueued() {
		this.dispatcher.requeueQueued();
	}

	/** The messages delivered and without an outcome: running, or left unacknowledged by their handlers. */
	UnacknowledgedMessages unacknowledged() {
		return this.dispatcher.unacknowledged();
	}

	/** Flush, CLS and await CLOSE_WAIT, at most {@code waitMillis}; returns how many connections confirmed it. */
	int closeConnections(long waitMillis) {
		return this.client.closeConnections(waitMillis);
	}

	/**
	 * The last step of a drain, and all a run that could not start needs: the connections, the client's
	 * tasks and the handler workers; no thread of the run survives, and no task of it runs on the shared threads.
	 */
	void close() {
		if (this.depths != null) {
			this.depths.close();
		}
		this.client.stop(CLIENT_STOP_MILLIS);
		this.dispatcher.close();
	}

	/** Open nsqd connections. */
	int connectionCount() {
		return this.client.connectionCount();
	}

	/** TCP addresses of the nsqd of the open connections. */
	Set<String> connectedNsqd() {
		return this.client.subscribedNsqd();
	}

	/** The nsqd that refused this run at its last attempt, by address, with nsqd's answer. */
	Map<String, String> refusals() {
		return this.client.refusals();
	}

}

package io.github.nsqspring.listener;

import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.sproutsocial.nsq.ContainerClient;

/**
 * One run of a container, from start to stop: its nsq-j {@link ContainerClient}, its
 * {@link MessageDispatcher} (with a handler pool of its own), its {@link FlowBackoff} when enabled, and
 * the RDY rule that ties them to the container's state: the full RDY count, or the flow backoff's limit
 * of it, while the container delivers; 0 otherwise. Each method that calls into nsq-j's subscriber may
 * wait for its lock (a hung nsqlookupd lookup holds it for up to 30 s): call them without holding a lock
 * that stopping needs.
 */
final class ContainerRun {

	private final ContainerProperties properties;

	private final ContainerClient client;

	private final MessageDispatcher dispatcher;

	private final BooleanSupplier delivering;

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
		this.client = new ContainerClient(properties);
		try {
			this.dispatcher = dispatchers.create();
		}
		catch (RuntimeException ex) {
			// the client's scheduler thread runs already
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
		this.client.subscribe(this.dispatcher::deliver, this.properties.isAutoTouch() ? this.dispatcher.touchTask() : null);
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

	/** Closes the connections and threads of a run that could not start, as a drain's last step does. */
	void close() {
		new ContainerDrain(this.properties, this).close();
	}

	ContainerClient client() {
		return this.client;
	}

	MessageDispatcher dispatcher() {
		return this.dispatcher;
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

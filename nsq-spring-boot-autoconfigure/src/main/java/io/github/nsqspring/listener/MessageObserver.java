package io.github.nsqspring.listener;

import java.util.List;

/**
 * Observes the counters of listener containers; metrics implement it (gauges and counters). A factory
 * calls {@link #observe} once per container it creates. The time and outcome of each message are
 * observed through the {@code nsq.listener} observation instead.
 */
@FunctionalInterface
public interface MessageObserver {

	/** Observes nothing. */
	MessageObserver NONE = (properties, stats) -> {
	};

	/**
	 * Called once when a container is created (not started yet).
	 * @param properties the container's settings (name, topic, channel)
	 * @param stats the container's counters
	 */
	void observe(ContainerProperties properties, ListenerStats stats);

	/** An observer that tells each of the given observers, in order. */
	static MessageObserver composite(List<MessageObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		List<MessageObserver> all = List.copyOf(observers);
		return (properties, stats) -> all.forEach((observer) -> observer.observe(properties, stats));
	}

}

package io.github.nsqspring.listener;

import java.util.List;

import io.github.nsqspring.core.NsqMessage;

/**
 * Observes listener containers and the outcomes of their messages; metrics implement it. A factory
 * calls {@link #observe} once per container it creates; the returned {@link OutcomeObserver} is told
 * about every message of that container, on the hot path, so it should do no lookups.
 */
@FunctionalInterface
public interface MessageObserver {

	/** Observes nothing. */
	MessageObserver NONE = (properties, stats) -> OutcomeObserver.NONE;

	/**
	 * Called once when a container is created (not started yet); returns the observer of its outcomes.
	 * @param properties the container's settings (name, topic, channel)
	 * @param stats the container's counters
	 */
	OutcomeObserver observe(ContainerProperties properties, ListenerStats stats);

	/** An observer that tells each of the given observers, in order. */
	static MessageObserver composite(List<MessageObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		List<MessageObserver> all = List.copyOf(observers);
		return (properties, stats) -> {
			List<OutcomeObserver> each = all.stream().map((observer) -> observer.observe(properties, stats)).toList();
			return new OutcomeObserver() {

				@Override
				public void acknowledged(NsqMessage message, MessageOutcome outcome, long nanos) {
					each.forEach((observer) -> observer.acknowledged(message, outcome, nanos));
				}

				@Override
				public void batchHandedOver(int size) {
					each.forEach((observer) -> observer.batchHandedOver(size));
				}

			};
		};
	}

	/** Told about every outcome of one container's messages. */
	@FunctionalInterface
	interface OutcomeObserver {

		/** Observes nothing. */
		OutcomeObserver NONE = (message, outcome, nanos) -> {
		};

		/**
		 * A message got its outcome: FIN or REQ reached the connection.
		 * @param nanos time from the start of handling (or from delivery, for a message never handled) to the outcome
		 */
		void acknowledged(NsqMessage message, MessageOutcome outcome, long nanos);

		/**
		 * A batch listener is handed a batch (of the messages that converted); by default nothing.
		 * @param size the number of messages in it
		 */
		default void batchHandedOver(int size) {
		}

	}

}

package io.github.nsqspring.listener;

import java.util.List;

import io.github.nsqspring.core.NsqMessage;

/** Told about every container a factory creates and every outcome of its messages; metrics implement it. */
public interface MessageObserver {

	/** Observes nothing. */
	MessageObserver NONE = new MessageObserver() {
	};

	/** A container was created (not started yet). */
	default void containerCreated(NsqListenerContainer container) {
	}

	/**
	 * A message got its outcome: FIN or REQ reached the connection.
	 * @param nanos time from the start of handling (or from delivery, for a message never handled) to the outcome
	 */
	default void acknowledged(NsqListenerContainer container, NsqMessage message, MessageOutcome outcome, long nanos) {
	}

	/** An observer that tells each of the given observers, in order. */
	static MessageObserver composite(List<MessageObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		List<MessageObserver> all = List.copyOf(observers);
		return new MessageObserver() {

			@Override
			public void containerCreated(NsqListenerContainer container) {
				all.forEach((observer) -> observer.containerCreated(container));
			}

			@Override
			public void acknowledged(NsqListenerContainer container, NsqMessage message, MessageOutcome outcome, long nanos) {
				all.forEach((observer) -> observer.acknowledged(container, message, outcome, nanos));
			}

		};
	}

}

package io.github.nsqspring.listener;

import io.github.nsqspring.core.NsqMessage;

/** Told about every handled message and every outcome of a container; metrics implement it. */
public interface MessageObserver {

	/** Observes nothing. */
	MessageObserver NONE = new MessageObserver() {
	};

	/** The handler returned or threw after {@code nanos}. */
	default void handled(NsqListenerContainer container, NsqMessage message, long nanos) {
	}

	/** The message got its outcome (FIN or REQ reached the connection). */
	default void acknowledged(NsqListenerContainer container, NsqMessage message, MessageOutcome outcome) {
	}

}

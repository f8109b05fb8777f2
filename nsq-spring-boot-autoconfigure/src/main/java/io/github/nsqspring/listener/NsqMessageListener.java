package io.github.nsqspring.listener;

import java.util.concurrent.CompletionStage;

import io.github.nsqspring.core.NsqMessage;
import org.jspecify.annotations.Nullable;

/**
 * Handles one message for a listener container. Returning normally means success; throwing means the
 * attempt failed (the container requeues with backoff, or dead-letters once attempts are exhausted).
 */
@FunctionalInterface
public interface NsqMessageListener {

	void onMessage(NsqMessage message) throws Exception;

	/**
	 * Handles one message whose handling may end later. A non-null stage defers the outcome until it
	 * completes: normally means success, exceptionally a failed attempt; the container keeps the message
	 * in flight meanwhile (touched, and awaited by a drain). Null means the handling ended when this
	 * method returned. By default calls {@link #onMessage(NsqMessage)} and returns null.
	 */
	default @Nullable CompletionStage<?> onMessageAsync(NsqMessage message) throws Exception {
		onMessage(message);
		return null;
	}

}

package io.github.nsqspring.listener;

import java.util.List;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;
import org.jspecify.annotations.Nullable;

/**
 * Handles a batch of messages for a listener container: up to {@code batchMaxSize} messages, handed over
 * when the batch is full or when its first message has waited {@code batchMaxWait}. Before the batch is
 * handed over the container asks {@link #convert(NsqMessage)} for each message what the listener receives;
 * a message it cannot convert is given to the container's {@link NsqErrorHandler} on its own (dead-lettered,
 * by default) and left out of the batch.
 * <p>
 * Outcomes in AUTO mode: a normal return finishes every message; an {@link NsqBatchListenerFailedException}
 * finishes the messages before its index, fails the one at it and requeues the rest at once without
 * counting a failure; any other exception fails every message (each retried or dead-lettered by its own
 * attempts). In MANUAL mode the listener finishes or requeues each message itself.
 */
@FunctionalInterface
public interface NsqBatchMessageListener {

	/**
	 * Handles a batch.
	 * @param messages the messages of the batch, in the order they were delivered
	 * @param converted what {@link #convert(NsqMessage)} returned for each, at the same index
	 * @throws NsqBatchListenerFailedException to name the message that failed
	 * @throws Exception to fail every message of the batch
	 */
	void onBatch(List<NsqMessage> messages, List<@Nullable Object> converted) throws Exception;

	/**
	 * What the listener receives for one message; by default the message itself.
	 * @throws NsqPayloadConversionException when the payload cannot be converted
	 */
	default @Nullable Object convert(NsqMessage message) {
		return message;
	}

}

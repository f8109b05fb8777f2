package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.sproutsocial.nsq.Message;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Hands a batch to an {@link NsqBatchMessageListener} on a handler thread, in its slot, and gives each
 * message its outcome. Each message first passes the checks a single message does (malformed envelope,
 * not-before, attempts, empty body) and is converted; one that fails to convert goes to the error handler
 * on its own, and the rest are handed over. Then, in AUTO mode:
 * <ul>
 * <li>the listener returns: every message is finished;</li>
 * <li>it throws {@link NsqBatchListenerFailedException} with an index inside the batch: the messages before
 * it are finished, the one at it goes to the error handler with the exception's cause, and the rest are
 * requeued at once without counting a failure ({@link UncountedDeliveries});</li>
 * <li>it throws anything else: every message goes to the error handler, each by its own attempts.</li>
 * </ul>
 * In MANUAL mode nothing is finished for the listener; on an exception the same rules apply to the messages
 * it left without an outcome. The flow backoff hears one success or failure per batch; one
 * {@code nsq.listener} observation covers the batch.
 */
final class BatchHandler {

	private static final Log logger = LogFactory.getLog(BatchHandler.class);

	private static final String FINISHED = "finished";

	private static final String FAILED = "failed";

	private final MessageDispatcher dispatcher;

	private final NsqBatchMessageListener listener;

	private final ContainerProperties properties;

	private final ListenerStats stats;

	private final MessageObserver.OutcomeObserver outcomeObserver;

	private final ListenerObservations observations;

	private final UncountedDeliveries uncounted;

	private final BatchIntake.Scheduler client;

	BatchHandler(MessageDispatcher dispatcher, NsqBatchMessageListener listener, ContainerProperties properties,
			ListenerStats stats, MessageObserver.OutcomeObserver outcomeObserver, ListenerObservations observations,
			UncountedDeliveries uncounted, BatchIntake.Scheduler client) {
		this.dispatcher = dispatcher;
		this.listener = listener;
		this.properties = properties;
		this.stats = stats;
		this.outcomeObserver = outcomeObserver;
		this.observations = observations;
		this.uncounted = uncounted;
		this.client = client;
	}

	/** Handles a batch on the calling (handler) thread, in its slot; requeues it whole once the drain began. */
	void handle(List<Message> delivered, HandlerSlot slot) {
		List<DeliveredMessage> messages = new ArrayList<>(delivered.size());
		for (Message message : delivered) {
			messages.add(this.dispatcher.newBatchMessage(message, this.uncounted.of(message.getId())));
		}
		UnacknowledgedMessages tracked = this.dispatcher.unacknowledged();
		// tracked before reading the flag that the drain clears before it looks for unacknowledged messages
		tracked.batchStarting(messages, slot);
		try {
			if (this.dispatcher.isAccepting()) {
				handleAccepted(messages);
			}
			else {
				messages.forEach((message) -> message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO));
			}
		}
		finally {
			tracked.batchEnded(messages, slot);
			this.client.flush();
		}
	}

	private void handleAccepted(List<DeliveredMessage> messages) {
		List<DeliveredMessage> batch = new ArrayList<>(messages.size());
		List<@Nullable Object> converted = new ArrayList<>(messages.size());
		for (DeliveredMessage message : messages) {
			if (this.dispatcher.settledBeforeListener(message)) {
				continue;
			}
			try {
				converted.add(this.listener.convert(message));
				batch.add(message);
			}
			catch (NsqPayloadConversionException ex) {
				// a payload no retry can fix says nothing about the health of what the listener calls: no flow backoff
				this.stats.handlerFailed();
				this.dispatcher.failed(message, ex);
			}
		}
		if (!batch.isEmpty()) {
			invoke(batch, converted);
		}
		for (DeliveredMessage message : messages) {
			MessageOutcome outcome = message.outcome();
			if (outcome == MessageOutcome.FINISHED || outcome == MessageOutcome.DEAD_LETTERED) {
				this.uncounted.forget(message.id());
			}
		}
	}

	private void invoke(List<DeliveredMessage> messages, List<@Nullable Object> converted) {
		this.outcomeObserver.batchHandedOver(messages.size());
		Observation observation = this.observations.startBatch(messages);
		Throwable failure = null;
		try (Observation.Scope scope = observation.openScope()) {
			this.listener.onBatch(Collections.<NsqMessage>unmodifiableList(messages), Collections.unmodifiableList(converted));
		}
		catch (Throwable ex) {
			failure = ex;
		}
		if (failure == null) {
			succeeded(messages);
		}
		else {
			observation.error(failure);
			failed(messages, failure);
		}
		boolean drained = messages.stream().allMatch((message) -> message.outcome() == MessageOutcome.REQUEUED_ON_SHUTDOWN);
		ListenerObservations.stop(observation,
				drained ? MessageOutcome.REQUEUED_ON_SHUTDOWN.tagValue() : (failure == null) ? FINISHED : FAILED);
	}

	private void succeeded(List<DeliveredMessage> messages) {
		this.dispatcher.flowBackoff().succeeded();
		if (this.properties.isAutoAcknowledge()) {
			messages.forEach((message) -> message.complete(MessageOutcome.FINISHED));
		}
	}

	private void failed(List<DeliveredMessage> messages, Throwable failure) {
		this.stats.handlerFailed();
		this.dispatcher.flowBackoff().failed();
		int index = failedIndex(messages.size(), failure);
		if (index < 0) {
			// each message's own WARN (or dead letter) says what became of it
			messages.forEach((message) -> failedMessage(message, failure));
			return;
		}
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		if (this.properties.isAutoAcknowledge()) {
			messages.subList(0, index).forEach((message) -> message.complete(MessageOutcome.FINISHED));
		}
		failedMessage(messages.get(index), cause);
		int requeued = 0;
		for (DeliveredMessage message : messages.subList(index + 1, messages.size())) {
			if (message.requeue(MessageOutcome.REQUEUED, Duration.ZERO)) {
				this.uncounted.add(message.id());
				requeued++;
			}
		}
		logger.warn("Batch listener '" + name() + "' failed on message " + messages.get(index).id() + " at index " + index
				+ " of a batch of " + messages.size() + "; " + index + " before it finished, " + requeued
				+ " after it requeued without counting a failure");
	}

	/** The index a {@link NsqBatchListenerFailedException} names when it lies inside the batch, else -1. */
	private int failedIndex(int size, Throwable failure) {
		if (!(failure instanceof NsqBatchListenerFailedException batchFailure)) {
			return -1;
		}
		int index = batchFailure.getIndex();
		if (index < 0 || index >= size) {
			logger.warn("Batch listener '" + name() + "' threw NsqBatchListenerFailedException with index " + index
					+ ", outside its batch of " + size + " message(s); failing the whole batch");
			return -1;
		}
		return index;
	}

	/** The error handler's decision for a message the listener left without an outcome. */
	private void failedMessage(DeliveredMessage message, Throwable failure) {
		if (message.outcome() == null) {
			this.dispatcher.failed(message, failure);
		}
	}

	private String name() {
		return this.properties.getName();
	}

}

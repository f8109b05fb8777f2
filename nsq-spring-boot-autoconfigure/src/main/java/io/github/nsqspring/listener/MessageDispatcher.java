package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.IntConsumer;

import com.sproutsocial.nsq.ContainerClient;
import com.sproutsocial.nsq.Message;
import io.github.nsqspring.core.NsqEnvelopeFormatException;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.listener.NsqErrorHandler.Decision;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes the messages of one running container from nsq-j and gives each its outcome: hands it to a handler
 * thread, calls the listener, finishes it, or applies the {@link NsqErrorHandler}'s decision on a failure
 * (requeue with a delay, dead-letter, finish). Once the
 * container stops accepting, a message is requeued at once without calling the listener. One dispatcher
 * serves one run of the container (start to stop), with its own {@link HandlerWorkers} (or, for a batch
 * listener, its own {@link BatchIntake} and {@link BatchHandler}).
 */
final class MessageDispatcher {

	private static final Log logger = LogFactory.getLog(MessageDispatcher.class);

	private final ContainerProperties properties;

	private final @Nullable NsqMessageListener listener;

	private final NsqDeadLetterHandler deadLetterHandler;

	private final NsqErrorHandler errorHandler;

	private final ListenerStats stats;

	private final MessageObserver.OutcomeObserver outcomeObserver;

	private final ListenerObservations observations;

	private final MessageIntake<Message> workers;

	private final UnacknowledgedMessages unacknowledged;

	private final DeliveredMessage.OutcomeListener outcomeListener = this::acknowledged;

	private volatile boolean accepting = true;

	private volatile FlowBackoff flowBackoff = FlowBackoff.DISABLED;

	MessageDispatcher(ContainerProperties properties, NsqMessageListener listener, NsqDeadLetterHandler deadLetterHandler,
			NsqErrorHandler errorHandler, ListenerStats stats, MessageObserver.OutcomeObserver outcomeObserver, ListenerObservations observations,
			@Nullable Executor executor) {
		this.properties = properties;
		this.listener = listener;
		this.deadLetterHandler = deadLetterHandler;
		this.errorHandler = errorHandler;
		this.stats = stats;
		this.outcomeObserver = outcomeObserver;
		this.observations = observations;
		this.workers = new HandlerWorkers<>(properties.getName(), properties.getConcurrency(), executor, this::onMessage);
		this.unacknowledged = new UnacknowledgedMessages(this.workers.slots());
	}

	/**
	 * A dispatcher of a batch listener: messages gather in batches ({@link BatchIntake}, timed on the given
	 * scheduler) that a {@link BatchHandler} hands to the listener and gives their outcomes.
	 */
	MessageDispatcher(ContainerProperties properties, NsqBatchMessageListener listener, NsqDeadLetterHandler deadLetterHandler,
			NsqErrorHandler errorHandler, ListenerStats stats, MessageObserver.OutcomeObserver outcomeObserver, ListenerObservations observations,
			@Nullable Executor executor, BatchIntake.Scheduler scheduler, UncountedDeliveries uncounted) {
		this.properties = properties;
		this.listener = null;
		this.deadLetterHandler = deadLetterHandler;
		this.errorHandler = errorHandler;
		this.stats = stats;
		this.outcomeObserver = outcomeObserver;
		this.observations = observations;
		BatchHandler batches = new BatchHandler(this, listener, properties, stats, outcomeObserver, observations, uncounted, scheduler);
		this.workers = new BatchIntake(properties, executor, scheduler, batches::handle);
		this.unacknowledged = new UnacknowledgedMessages(this.workers.slots());
	}

	UnacknowledgedMessages unacknowledged() {
		return this.unacknowledged;
	}

	FlowBackoff flowBackoff() {
		return this.flowBackoff;
	}

	/** Signals each handler's success or failure to the flow backoff; set before the first delivery. */
	void setFlowBackoff(FlowBackoff flowBackoff) {
		this.flowBackoff = flowBackoff;
	}

	/** From now on no listener call starts: every message is requeued at once. */
	void stopAccepting() {
		this.accepting = false;
	}

	/** A message from nsq-j, on its reader thread: queued for a handler, or requeued when not accepting. */
	void deliver(Message delivered) {
		if (this.accepting) {
			this.workers.handle(delivered);
		}
		else {
			requeueUnstarted(delivered);
		}
	}

	/** REQ 0 for a message whose listener call never started. */
	private void requeueUnstarted(Message delivered) {
		newMessage(delivered).requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
	}

	/** REQ 0 for every message still queued for a handler; returns how many. */
	int requeueQueued() {
		List<Message> queued = this.workers.takeQueued();
		queued.forEach(this::requeueUnstarted);
		return queued.size();
	}

	/** Starts no more handlers; a pool of the run's own ends its threads (interrupting running ones). */
	void close() {
		this.workers.close();
		this.flowBackoff.close();
	}

	/** Whether listener calls may start: false once the drain began. */
	boolean isAccepting() {
		return this.accepting;
	}

	/** Messages delivered and without an outcome, queued or running. */
	int inFlightCount() {
		return this.unacknowledged.size() + this.workers.queuedCount();
	}

	/** Handles a message on the calling (handler) thread, in its slot. */
	private void onMessage(Message delivered, HandlerSlot slot) {
		DeliveredMessage message = newMessage(delivered);
		UnacknowledgedMessages tracked = this.unacknowledged;
		// tracked before reading the flag that the drain clears before it looks for unacknowledged messages
		tracked.handlerStarting(message, slot);
		try {
			if (this.accepting) {
				// the observation's scope is open while the listener runs: observations it opens are children
				try (Observation.Scope scope = message.observation().openScope()) {
					handle(message);
				}
			}
			else {
				message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
			}
		}
		finally {
			tracked.handlerEnded(message, slot);
		}
	}

	private DeliveredMessage newMessage(Message delivered) {
		ReceivedBody body = ReceivedBody.read(delivered.getData());
		return new DeliveredMessage(delivered, body, this.properties.getChannel(), this.outcomeListener,
				this.observations.start(delivered, body));
	}

	/**
	 * A message of a batch: it has no observation of its own (the batch has one), and its counted attempts
	 * leave out the given deliveries the container requeued without counting a failure.
	 */
	DeliveredMessage newBatchMessage(Message delivered, int uncountedDeliveries) {
		return new DeliveredMessage(delivered, ReceivedBody.read(delivered.getData()), uncountedDeliveries,
				this.properties.getChannel(), this.outcomeListener, Observation.NOOP);
	}

	private void handle(DeliveredMessage message) {
		if (settledBeforeListener(message)) {
			return;
		}
		try {
			CompletionStage<?> pending = Objects.requireNonNull(this.listener, "listener").onMessageAsync(message);
			if (pending != null) {
				message.awaitResult();
				pending.whenComplete((result, ex) -> handled(message,
						(ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex));
			}
			else {
				handled(message, null);
			}
		}
		catch (Throwable ex) {
			handled(message, ex);
		}
	}

	/**
	 * Gives a message its outcome when the listener must not see it: a malformed envelope (dead-lettered), a
	 * not-before time still to come (requeued for the rest of it), more attempts than allowed (the error
	 * handler's decision), an empty body that is skipped (finished); returns whether it did.
	 */
	boolean settledBeforeListener(DeliveredMessage message) {
		NsqEnvelopeFormatException malformed = message.malformedEnvelope();
		if (malformed != null) {
			// a broken envelope is the producer's error, whatever the policy: no retry can fix it
			deadLetter(message, malformed, Decision.DEFAULT_RETRY_DELAY);
			return true;
		}
		if (message.requeueIfEarly()) {
			return true;
		}
		if (message.attempts() > this.properties.getMaxAttempts()) {
			failed(message, new IllegalStateException("Message " + message.id() + " was delivered " + message.attempts()
					+ " times; listener '" + name() + "' allows " + this.properties.getMaxAttempts()));
			return true;
		}
		if (this.properties.isSkipEmptyMessages() && message.body().length == 0) {
			message.complete(MessageOutcome.FINISHED);
			return true;
		}
		return false;
	}

	/** The listener's handling of a message ended (on the handler thread, or where its result completed). */
	private void handled(DeliveredMessage message, @Nullable Throwable ex) {
		if (ex == null) {
			this.flowBackoff.succeeded();
			if (this.properties.isAutoAcknowledge()) {
				message.complete(MessageOutcome.FINISHED);
			}
			return;
		}
		this.stats.handlerFailed();
		// a payload that cannot be converted says nothing about the health of what the listener calls
		if (!(ex instanceof NsqPayloadConversionException)) {
			this.flowBackoff.failed();
		}
		MessageOutcome outcome = message.outcome();
		if (outcome != null) {
			// a stopped observation takes no error; a late failure of a message the drain requeued is expected
			if (outcome != MessageOutcome.REQUEUED_ON_SHUTDOWN) {
				logger.warn("Listener '" + name() + "' failed after it acknowledged message " + message.id() + " ("
						+ outcome.tagValue() + "): " + ex, ex);
			}
			return;
		}
		message.observation().error(ex);
		failed(message, ex);
	}

	/** Applies the error handler's decision to a message without an outcome. */
	void failed(DeliveredMessage message, Throwable ex) {
		Decision decision;
		try {
			decision = Objects.requireNonNull(this.errorHandler.handle(message, ex, message.attempts()),
					"the error handler's decision");
		}
		catch (RuntimeException handlerFailure) {
			handlerFailure.addSuppressed(ex);
			decision = Decision.requeue(Decision.DEFAULT_RETRY_DELAY);
			logger.error("Error handler of listener '" + name() + "' failed on message " + message.id()
					+ "; requeueing it with a delay of " + decision.delay().toMillis() + " ms", handlerFailure);
		}
		switch (decision.action()) {
			case FINISH -> {
				if (message.complete(MessageOutcome.FINISHED)) {
					logger.warn("Listener '" + name() + "' failed on message " + message.id() + " (attempt "
							+ message.attempts() + "); its error handler finished it: " + ex, ex);
				}
			}
			case REQUEUE -> {
				if (message.requeue(MessageOutcome.REQUEUED, decision.delay())) {
					logger.warn("Listener '" + name() + "' failed on message " + message.id() + " (attempt "
							+ message.attempts() + " of " + this.properties.getMaxAttempts() + "); requeued with a delay of "
							+ decision.delay().toMillis() + " ms: " + ex, ex);
				}
			}
			case DEAD_LETTER -> deadLetter(message, ex, decision.delay());
		}
	}

	private void deadLetter(DeliveredMessage message, Throwable cause, Duration retryDelay) {
		try {
			this.deadLetterHandler.handle(message, cause);
			message.complete(MessageOutcome.DEAD_LETTERED);
		}
		catch (Throwable ex) {
			boolean requeued = message.requeue(MessageOutcome.REQUEUED, retryDelay);
			logger.error("Dead-letter handler of listener '" + name() + "' failed on message " + message.id()
					+ (requeued ? "; requeued with a delay of " + retryDelay.toMillis() + " ms" : " (" + Objects.requireNonNull(message.outcome()).tagValue() + ")"),
					ex);
		}
	}

	private void acknowledged(DeliveredMessage message, MessageOutcome outcome) {
		this.unacknowledged.acknowledged(message);
		this.stats.outcome(outcome);
		this.outcomeObserver.acknowledged(message, outcome, message.nanosSinceDelivery());
		ListenerObservations.stop(message.observation(), outcome.tagValue());
	}

	/**
	 * A task that TOUCHes every unacknowledged message not touched for half the given message timeout.
	 * A message whose handler has returned without an outcome (MANUAL acknowledgement) is touched until it
	 * has been unacknowledged for a whole message timeout: then it is let go, with one WARN, for nsqd to
	 * time it out and redeliver it, rather than stalling the listener. A message whose handler returned a
	 * result that has not completed yet counts as running: it is touched until it has its outcome.
	 */
	IntConsumer touchTask() {
		return (msgTimeoutMillis) -> {
			long halfTimeout = msgTimeoutMillis / 2;
			this.unacknowledged.forEach((message, thread) -> {
				if (thread == null && !message.isAwaitingResult() && message.millisSinceDelivery() >= msgTimeoutMillis) {
					letGo(message, msgTimeoutMillis);
				}
				else if (message.millisSinceTouch() >= halfTimeout) {
					message.touch();
				}
			});
		};
	}

	/** Whether the {@link #touchTask()} may have a message to look at: cheap, and never blocks. */
	boolean mayHaveUnacknowledged() {
		return this.unacknowledged.mayHaveAny();
	}

	private void letGo(DeliveredMessage message, int msgTimeoutMillis) {
		this.unacknowledged.forget(message);
		ContainerClient.abandon(message.delegate());
		ListenerObservations.stop(message.observation(), "timed-out");
		logger.warn("Listener '" + name() + "' stops touching message " + message.id() + ": its handler returned without "
				+ "finishing or requeueing it and it has been unacknowledged for nsqd's message timeout of "
				+ msgTimeoutMillis + " ms; nsqd will time it out and redeliver it");
	}

	private String name() {
		return this.properties.getName();
	}

}

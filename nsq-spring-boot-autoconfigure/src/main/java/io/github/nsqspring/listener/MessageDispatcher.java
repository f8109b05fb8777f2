package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

import com.sproutsocial.nsq.Message;
import io.github.nsqspring.core.NsqEnvelopeFormatException;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.micrometer.observation.Observation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Takes the messages of one running container from nsq-j and gives each its outcome: hands it to a handler
 * thread, calls the listener, and finishes, retries (requeue with backoff) or dead-letters it. Once the
 * container stops accepting, a message is requeued at once without calling the listener. One dispatcher
 * serves one run of the container (start to stop), with its own handler pool.
 */
final class MessageDispatcher {

	private static final Log logger = LogFactory.getLog(MessageDispatcher.class);

	private final ContainerProperties properties;

	private final NsqMessageListener listener;

	private final NsqDeadLetterHandler deadLetterHandler;

	private final ListenerStats stats;

	private final MessageObserver.OutcomeObserver outcomeObserver;

	private final ListenerObservations observations;

	private final HandlerPool pool;

	private final UnacknowledgedMessages unacknowledged;

	private final DeliveredMessage.OutcomeListener outcomeListener = this::acknowledged;

	private volatile boolean accepting = true;

	private volatile FlowBackoff flowBackoff = FlowBackoff.DISABLED;

	MessageDispatcher(ContainerProperties properties, NsqMessageListener listener, NsqDeadLetterHandler deadLetterHandler,
			ListenerStats stats, MessageObserver.OutcomeObserver outcomeObserver, ListenerObservations observations) {
		this.properties = properties;
		this.listener = listener;
		this.deadLetterHandler = deadLetterHandler;
		this.stats = stats;
		this.outcomeObserver = outcomeObserver;
		this.observations = observations;
		this.pool = new HandlerPool(properties.getName(), properties.getConcurrency(), this::onMessage);
		this.unacknowledged = new UnacknowledgedMessages(this.pool);
	}

	HandlerPool pool() {
		return this.pool;
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

	/** A message from nsq-j, on its reader thread: queued for a handler thread, or requeued when not accepting. */
	void deliver(Message delivered) {
		if (this.accepting) {
			this.pool.handle(delivered);
		}
		else {
			requeueUnstarted(delivered);
		}
	}

	/** REQ 0 for a message whose listener call never started. */
	void requeueUnstarted(Message delivered) {
		newMessage(delivered).requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
	}

	/** Messages delivered and without an outcome, queued or running. */
	int inFlightCount() {
		return this.unacknowledged.size() + this.pool.queuedTasks();
	}

	/** Handles a message on the calling (handler) thread. */
	void onMessage(Message delivered) {
		DeliveredMessage message = newMessage(delivered);
		UnacknowledgedMessages tracked = this.unacknowledged;
		// tracked before reading the flag that the drain clears before it looks for unacknowledged messages
		tracked.handlerStarting(message);
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
			tracked.handlerEnded(message);
		}
	}

	private DeliveredMessage newMessage(Message delivered) {
		ReceivedBody body = ReceivedBody.read(delivered.getData());
		return new DeliveredMessage(delivered, body, this.properties.getChannel(), this.outcomeListener,
				this.observations.start(delivered, body));
	}

	private void handle(DeliveredMessage message) {
		NsqEnvelopeFormatException malformed = message.malformedEnvelope();
		if (malformed != null) {
			deadLetter(message, malformed);
			return;
		}
		if (message.requeueIfEarly()) {
			return;
		}
		if (message.attempts() > this.properties.getMaxAttempts()) {
			deadLetter(message, new IllegalStateException("Message " + message.id() + " was delivered " + message.attempts()
					+ " times; listener '" + name() + "' allows " + this.properties.getMaxAttempts()));
			return;
		}
		if (this.properties.isSkipEmptyMessages() && message.body().length == 0) {
			message.complete(MessageOutcome.FINISHED);
			return;
		}
		try {
			CompletionStage<?> pending = this.listener.onMessageAsync(message);
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

	/** The listener's handling of a message ended (on the handler thread, or where its result completed). */
	private void handled(DeliveredMessage message, @Nullable Throwable ex) {
		if (ex == null) {
			this.flowBackoff.succeeded();
			if (this.properties.isAutoAcknowledge()) {
				message.complete(MessageOutcome.FINISHED);
			}
			return;
		}
		handlerFailed(message, ex);
		// a late result of a message the drain already requeued is not dead-lettered
		if (ex instanceof NsqPayloadConversionException && !message.isAcknowledged()) {
			deadLetter(message, ex);
		}
		else {
			this.flowBackoff.failed();
			handleFailure(message, ex);
		}
	}

	private void handlerFailed(DeliveredMessage message, Throwable ex) {
		this.stats.handlerFailed();
		if (!message.isAcknowledged()) {
			// a stopped observation takes no error
			message.observation().error(ex);
		}
	}

	private void handleFailure(DeliveredMessage message, Throwable ex) {
		MessageOutcome outcome = message.outcome();
		if (outcome != null) {
			if (outcome != MessageOutcome.REQUEUED_ON_SHUTDOWN) {
				logger.warn("Listener '" + name() + "' failed after it acknowledged message " + message.id() + " ("
						+ outcome.tagValue() + "): " + ex, ex);
			}
			return;
		}
		if (message.attempts() >= this.properties.getMaxAttempts() || this.properties.isNotRetryable(ex)) {
			deadLetter(message, ex);
			return;
		}
		Duration delay = this.properties.backoffFor(message.attempts());
		if (message.requeue(MessageOutcome.REQUEUED, delay)) {
			logger.warn("Listener '" + name() + "' failed on message " + message.id() + " (attempt " + message.attempts()
					+ " of " + this.properties.getMaxAttempts() + "); requeued with a delay of " + delay.toMillis() + " ms: "
					+ ex, ex);
		}
	}

	private void deadLetter(DeliveredMessage message, Throwable cause) {
		try {
			this.deadLetterHandler.handle(message, cause);
			message.complete(MessageOutcome.DEAD_LETTERED);
		}
		catch (Throwable ex) {
			Duration delay = this.properties.backoffFor(message.attempts());
			boolean requeued = message.requeue(MessageOutcome.REQUEUED, delay);
			logger.error("Dead-letter handler of listener '" + name() + "' failed on message " + message.id()
					+ (requeued ? "; requeued with a delay of " + delay.toMillis() + " ms" : " (" + Objects.requireNonNull(message.outcome()).tagValue() + ")"),
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

	private void letGo(DeliveredMessage message, int msgTimeoutMillis) {
		this.unacknowledged.forget(message);
		ListenerObservations.stop(message.observation(), "timed-out");
		logger.warn("Listener '" + name() + "' stops touching message " + message.id() + ": its handler returned without "
				+ "finishing or requeueing it and it has been unacknowledged for nsqd's message timeout of "
				+ msgTimeoutMillis + " ms; nsqd will time it out and redeliver it");
	}

	private String name() {
		return this.properties.getName();
	}

}

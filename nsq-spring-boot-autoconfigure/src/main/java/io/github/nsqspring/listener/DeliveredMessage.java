package io.github.nsqspring.listener;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import com.sproutsocial.nsq.Message;
import io.github.nsqspring.core.NsqEnvelopeFormatException;
import io.github.nsqspring.core.NsqMessage;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * A message delivered to a container, adapting nsq-j's {@link Message}. The first outcome wins (FIN or
 * REQ reaches nsqd once); a later one, such as a FIN from a handler whose message the drain already
 * requeued, is ignored. An NSQE envelope is taken apart: {@link #body()} is its payload, {@link #headers()} its
 * headers, and {@link #attempts()} the attempts the retry logic counts (see {@link ReceivedBody}).
 */
final class DeliveredMessage implements NsqMessage {

	private final Message delegate;

	private final ReceivedBody body;

	private final int attempts;

	private final String channel;

	private final OutcomeListener outcomeListener;

	private final Observation observation;

	private static final AtomicReferenceFieldUpdater<DeliveredMessage, MessageOutcome> OUTCOME = AtomicReferenceFieldUpdater
		.newUpdater(DeliveredMessage.class, MessageOutcome.class, "outcome");

	private volatile @Nullable MessageOutcome outcome;

	private final long deliveredNanos = System.nanoTime();

	private volatile long lastTouchNanos = this.deliveredNanos;

	private volatile boolean detached;

	private volatile boolean awaitingResult;

	/** A message that reads its body itself. */
	DeliveredMessage(Message delegate, String channel, OutcomeListener outcomeListener, Observation observation) {
		this(delegate, ReceivedBody.read(delegate.getData()), channel, outcomeListener, observation);
	}

	DeliveredMessage(Message delegate, ReceivedBody body, String channel, OutcomeListener outcomeListener,
			Observation observation) {
		this(delegate, body, 0, channel, outcomeListener, observation);
	}

	/**
	 * @param uncountedDeliveries deliveries nsqd counted that the retry logic does not: requeues of a batch
	 * listener's messages behind the one that failed
	 */
	DeliveredMessage(Message delegate, ReceivedBody body, int uncountedDeliveries, String channel,
			OutcomeListener outcomeListener, Observation observation) {
		this.delegate = delegate;
		this.body = body;
		this.attempts = Math.max(1, body.countedAttempts(delegate.getAttempts(), delegate.getTimestamp()) - uncountedDeliveries);
		this.channel = channel;
		this.outcomeListener = outcomeListener;
		this.observation = observation;
	}

	/** The message as nsq-j delivered it. */
	Message delegate() {
		return this.delegate;
	}

	@Override
	public String id() {
		return this.delegate.getId();
	}

	@Override
	public int attempts() {
		return this.attempts;
	}

	@Override
	public Instant timestamp() {
		long nanos = this.delegate.getTimestamp();
		return Instant.ofEpochSecond(0, nanos);
	}

	@Override
	public byte[] body() {
		return this.body.payload();
	}

	@Override
	public Map<String, String> headers() {
		return this.body.headers();
	}

	@Override
	public String topic() {
		return this.delegate.getTopic();
	}

	@Override
	public String channel() {
		return this.channel;
	}

	@Override
	public void finish() {
		complete(MessageOutcome.FINISHED);
	}

	@Override
	public void requeue(Duration delay) {
		requeue(MessageOutcome.REQUEUED, delay);
	}

	@Override
	public void touch() {
		if (!isAcknowledged()) {
			this.delegate.touch();
			this.lastTouchNanos = System.nanoTime();
		}
	}

	@Override
	public boolean isAcknowledged() {
		return this.outcome != null;
	}

	/** FIN with the given outcome (FINISHED or DEAD_LETTERED); false when an outcome was already set. */
	boolean complete(MessageOutcome result) {
		if (!OUTCOME.compareAndSet(this, null, result)) {
			return false;
		}
		this.delegate.finish();
		this.outcomeListener.acknowledged(this, result);
		return true;
	}

	/** REQ with the given outcome and delay; false when an outcome was already set. */
	boolean requeue(MessageOutcome result, Duration delay) {
		if (!OUTCOME.compareAndSet(this, null, result)) {
			return false;
		}
		this.delegate.requeue((int) Math.min(delay.toMillis(), Integer.MAX_VALUE));
		this.outcomeListener.acknowledged(this, result);
		return true;
	}

	/** Why the body that starts like an envelope is none, or null. */
	@Nullable NsqEnvelopeFormatException malformedEnvelope() {
		return this.body.malformed();
	}

	/** Requeues the message for the rest of its delay when its not-before time has not come; true when it did. */
	boolean requeueIfEarly() {
		long early = this.body.millisUntilDue(System.currentTimeMillis());
		return early > 0 && requeue(MessageOutcome.REQUEUED, Duration.ofMillis(early));
	}

	@Nullable MessageOutcome outcome() {
		return this.outcome;
	}

	/** The message's {@code nsq.listener} observation, started when the container took it ({@link Observation#NOOP} when off). */
	Observation observation() {
		return this.observation;
	}

	/** Marks the message as tracked in the shared set of {@link UnacknowledgedMessages}. */
	void detach() {
		this.detached = true;
	}

	boolean isDetached() {
		return this.detached;
	}

	/** Marks the message as handled by a listener whose result completes later: it counts as running until its outcome. */
	void awaitResult() {
		this.awaitingResult = true;
	}

	boolean isAwaitingResult() {
		return this.awaitingResult;
	}

	/** Time since the container took the message from nsq-j (when a handler thread picked it up). */
	long nanosSinceDelivery() {
		return System.nanoTime() - this.deliveredNanos;
	}

	long millisSinceDelivery() {
		return TimeUnit.NANOSECONDS.toMillis(nanosSinceDelivery());
	}

	long millisSinceTouch() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.lastTouchNanos);
	}

	@Override
	public String toString() {
		return "NsqMessage[id=" + id() + ", topic=" + topic() + ", channel=" + this.channel + ", attempts=" + attempts() + "]";
	}

	/** Told once per message, when its outcome is set. */
	@FunctionalInterface
	interface OutcomeListener {

		void acknowledged(DeliveredMessage message, MessageOutcome outcome);

	}

}

package io.github.nsqspring.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.github.nsqspring.core.NsqEnvelope;
import io.github.nsqspring.core.NsqEnvelopeTopics;
import io.github.nsqspring.core.NsqMessageConversionException;
import io.github.nsqspring.core.NsqMessageBodies;
import io.github.nsqspring.core.NsqMessageConverter;
import io.github.nsqspring.support.NsqNames;

/**
 * Durable, cancellable delayed messages: unlike a DPUB, which nsqd keeps in memory only, a scheduled
 * message lives in Redis until the {@link DelayedMessagePoller} of some application instance has
 * published it and nsqd acknowledged it. It survives restarts of the application and of nsqd, can be
 * cancelled until it is claimed for publishing, and is never published before it is due (on the
 * clocks of the instances, which should be kept in sync).
 *
 * <p>The payload is converted with the {@link NsqMessageConverter} when it is scheduled, so a payload
 * that cannot be converted fails here and nothing is stored. For a topic that gets an {@link NsqEnvelope}
 * the stored body is the envelope, with the due time as {@link NsqEnvelope#NOT_BEFORE} (the poller publishes
 * it as it is), so a listener also never handles it early.
 */
public class NsqDelayedMessages {

	private final RedisDelayedMessageStore store;

	private final NsqMessageConverter converter;

	private final Duration maxDelay;

	private final int maxMessageSize;

	private final Clock clock;

	private volatile NsqEnvelopeTopics envelopeTopics = NsqEnvelopeTopics.NONE;

	/**
	 * @param store where messages wait
	 * @param converter converts payloads to message bodies
	 * @param maxDelay the longest delay accepted
	 * @param maxMessageSize the largest body accepted (nsqd's {@code --max-msg-size})
	 * @param clock the clock due times are computed with
	 */
	public NsqDelayedMessages(RedisDelayedMessageStore store, NsqMessageConverter converter, Duration maxDelay,
			int maxMessageSize, Clock clock) {
		this.store = store;
		this.converter = converter;
		this.maxDelay = maxDelay;
		this.maxMessageSize = maxMessageSize;
		this.clock = clock;
	}

	/** The topics whose messages are stored in an {@link NsqEnvelope} (default: none); as the template's. */
	public void setEnvelopeTopics(NsqEnvelopeTopics envelopeTopics) {
		this.envelopeTopics = envelopeTopics;
	}

	/**
	 * Schedules a message to be published to the topic once the delay has passed.
	 * @return the id of the scheduled message, for {@link #cancel} and {@link #find}
	 * @throws IllegalArgumentException for an invalid topic, a null or empty payload, a body above the
	 * maximum message size, or a delay that is negative or longer than the maximum delay
	 * @throws NsqMessageConversionException when the payload cannot be converted
	 */
	public String schedule(String topic, Object payload, Duration delay) {
		if (delay == null || delay.isNegative()) {
			throw new IllegalArgumentException("Delay " + delay + " for topic '" + topic + "' is not a duration of 0 or more");
		}
		checkMaxDelay(topic, delay);
		return store(topic, payload, this.clock.instant().plus(delay));
	}

	/**
	 * Schedules a message to be published to the topic at the given time; a time that has passed
	 * already makes it due at once.
	 * @return the id of the scheduled message, for {@link #cancel} and {@link #find}
	 * @throws IllegalArgumentException for an invalid topic, a null or empty payload, a body above the
	 * maximum message size, a null time or one further away than the maximum delay
	 * @throws NsqMessageConversionException when the payload cannot be converted
	 */
	public String schedule(String topic, Object payload, Instant at) {
		if (at == null) {
			throw new IllegalArgumentException("No time given for a delayed message to topic '" + topic + "'");
		}
		checkMaxDelay(topic, Duration.between(this.clock.instant(), at));
		return store(topic, payload, at);
	}

	/**
	 * Cancels a scheduled message.
	 * @return true when it was removed; false when the id is unknown, or the message was published
	 * already or is being published (claimed by a poller)
	 */
	public boolean cancel(String id) {
		return id != null && this.store.cancel(id);
	}

	/** The scheduled message with this id, until it is published or cancelled. */
	public Optional<ScheduledMessage> find(String id) {
		return (id != null) ? this.store.find(id) : Optional.empty();
	}

	/** How many messages for the topic are scheduled and not published yet, those being published included. */
	public long pending(String topic) {
		return this.store.pending(NsqNames.requireValidTopic(topic));
	}

	private void checkMaxDelay(String topic, Duration delay) {
		if (delay.compareTo(this.maxDelay) > 0) {
			throw new IllegalArgumentException("Delay " + delay + " for topic '" + topic + "' exceeds the maximum of "
					+ this.maxDelay + " (nsq.delay.max-delay)");
		}
	}

	private String store(String topic, Object payload, Instant at) {
		NsqNames.requireValidTopic(topic);
		Instant due = dueTime(at);
		ScheduledMessage message = new ScheduledMessage(UUID.randomUUID().toString(), topic, body(topic, payload, due), due);
		if (!this.store.add(message)) {
			throw new IllegalStateException("A delayed message with id " + message.id() + " exists already");
		}
		return message.id();
	}

	private byte[] body(String topic, Object payload, Instant due) {
		Map<String, String> envelope = this.envelopeTopics.appliesTo(topic)
				? Map.of(NsqEnvelope.NOT_BEFORE, Long.toString(due.toEpochMilli())) : null;
		return NsqMessageBodies.toBody(this.converter, "schedule", topic, payload, this.maxMessageSize, envelope);
	}

	/** Due times are kept in whole milliseconds, rounded up so that a message is never published early. */
	private static Instant dueTime(Instant at) {
		Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
		return millis.equals(at) ? at : millis.plusMillis(1);
	}

}

package io.github.nsqspring.observation;

import org.jspecify.annotations.Nullable;

/**
 * What an {@code nsq.listener} observation knows: the listener and the message, and, once the message
 * has it, its outcome.
 */
public class NsqListenerObservationContext extends KeyValuesContext {

	private final String listener;

	private final String topic;

	private final String channel;

	private final String messageId;

	private final int attempts;

	private volatile @Nullable String outcome;

	public NsqListenerObservationContext(String listener, String topic, String channel, String messageId, int attempts) {
		this.listener = listener;
		this.topic = topic;
		this.channel = channel;
		this.messageId = messageId;
		this.attempts = attempts;
	}

	public String getListener() {
		return this.listener;
	}

	public String getTopic() {
		return this.topic;
	}

	public String getChannel() {
		return this.channel;
	}

	public String getMessageId() {
		return this.messageId;
	}

	public int getAttempts() {
		return this.attempts;
	}

	/** The message's outcome ({@code finished}, {@code requeued}, ...), or null while it has none. */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}

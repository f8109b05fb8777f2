package io.github.nsqspring.core;

import java.util.Collection;
import java.util.Set;

/**
 * The topics whose messages a publisher wraps in an {@link NsqEnvelope}: none, all ({@code *}), or the
 * named ones ({@code nsq.producer.envelope.enabled} and {@code nsq.producer.envelope.topics}).
 */
public final class NsqEnvelopeTopics {

	/** No topic: bodies are published as they are. */
	public static final NsqEnvelopeTopics NONE = new NsqEnvelopeTopics(false, Set.of());

	/** Every topic. */
	public static final NsqEnvelopeTopics ALL = new NsqEnvelopeTopics(true, Set.of());

	private static final String EVERY_TOPIC = "*";

	private final boolean all;

	private final Set<String> topics;

	private NsqEnvelopeTopics(boolean all, Set<String> topics) {
		this.all = all;
		this.topics = topics;
	}

	/**
	 * The topics of the properties: the listed ones when any are listed ({@code *} for all), else all when
	 * enabled, else none.
	 */
	public static NsqEnvelopeTopics of(boolean enabled, Collection<String> topics) {
		if (topics.contains(EVERY_TOPIC)) {
			return ALL;
		}
		if (!topics.isEmpty()) {
			return new NsqEnvelopeTopics(false, Set.copyOf(topics));
		}
		return enabled ? ALL : NONE;
	}

	/** Whether messages published to the topic get an envelope. */
	public boolean appliesTo(String topic) {
		return this.all || (!this.topics.isEmpty() && this.topics.contains(topic));
	}

	@Override
	public String toString() {
		return this.all ? EVERY_TOPIC : this.topics.toString();
	}

}

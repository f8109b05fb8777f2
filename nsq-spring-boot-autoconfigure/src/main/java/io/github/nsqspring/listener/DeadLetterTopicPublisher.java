package io.github.nsqspring.listener;

import java.util.Map;

import io.github.nsqspring.core.NsqEnvelope;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.support.NsqNames;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The dead-letter handler for {@code nsq.consumer.dead-letter-topic}: publishes the unchanged body (in its
 * NSQE envelope with its headers, when it had one) to
 * the dead-letter topic, whose pattern may contain {@code {topic}} for the listener's topic (e.g.
 * {@code {topic}.dead}). For an ephemeral topic {@code {topic}} stands for the name without
 * {@code #ephemeral}, which then ends the result ({@code orders#ephemeral} gives
 * {@code orders.dead#ephemeral}). The publish waits for nsqd's OK and is logged as one WARN line; when it
 * fails the container requeues the message, so it is not lost.
 */
public class DeadLetterTopicPublisher implements NsqDeadLetterHandler {

	static final String TOPIC_PLACEHOLDER = "{topic}";

	private static final String EPHEMERAL = "#ephemeral";

	private static final Log logger = LogFactory.getLog(DeadLetterTopicPublisher.class);

	private final NsqOperations operations;

	private final String topicPattern;

	/**
	 * @param operations publishes the dead letters
	 * @param topicPattern the dead-letter topic, optionally containing {@code {topic}}
	 * @throws IllegalArgumentException when the pattern cannot give a valid topic name
	 */
	public DeadLetterTopicPublisher(NsqOperations operations, String topicPattern) {
		NsqNames.requireValidTopic(topicPattern.replace(TOPIC_PLACEHOLDER, "t"));
		this.operations = operations;
		this.topicPattern = topicPattern;
	}

	/** The dead-letter topic of a listener topic. */
	public String deadLetterTopic(String topic) {
		if (!this.topicPattern.contains(TOPIC_PLACEHOLDER) || !topic.endsWith(EPHEMERAL)) {
			return this.topicPattern.replace(TOPIC_PLACEHOLDER, topic);
		}
		String resolved = this.topicPattern.replace(TOPIC_PLACEHOLDER, topic.substring(0, topic.length() - EPHEMERAL.length()));
		return resolved.endsWith(EPHEMERAL) ? resolved : resolved + EPHEMERAL;
	}

	/**
	 * Checks that the dead-letter topic of a listener topic is a valid topic name, and not the listener's
	 * own topic (its dead letters would come back to it as new messages, forever).
	 */
	@Override
	public void validateFor(String topic) {
		String deadLetterTopic = deadLetterTopic(topic);
		String described = "its dead-letter topic '" + deadLetterTopic + "' (nsq.consumer.dead-letter-topic '" + this.topicPattern
				+ "' for topic '" + topic + "')";
		if (!NsqNames.isValid(deadLetterTopic)) {
			throw new IllegalArgumentException(described + " is invalid: " + NsqNames.describeRule());
		}
		if (deadLetterTopic.equals(topic)) {
			throw new IllegalArgumentException(described + " is the listener's own topic: its dead letters would be "
					+ "delivered to it again, forever");
		}
	}

	@Override
	public void handle(NsqMessage message, Throwable cause) {
		String deadLetterTopic = deadLetterTopic(message.topic());
		Map<String, String> headers = message.headers();
		this.operations.send(deadLetterTopic, headers.isEmpty() ? message.body() : NsqEnvelope.encode(headers, message.body()));
		logger.warn("Dead letter: message " + message.id() + " of topic '" + message.topic() + "', channel '"
				+ message.channel() + "' after " + message.attempts() + " attempt(s) published to topic '" + deadLetterTopic
				+ "'; cause: " + cause);
	}

}

package io.github.nsqspring.listener;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.support.NsqNames;

/**
 * The dead-letter handler for {@code nsq.consumer.dead-letter-topic}: publishes the unchanged body to
 * the dead-letter topic, whose pattern may contain {@code {topic}} for the listener's topic (e.g.
 * {@code {topic}.dead}). The publish waits for nsqd's OK; when it fails the container requeues the
 * message, so it is not lost.
 */
public class DeadLetterTopicPublisher implements NsqDeadLetterHandler {

	static final String TOPIC_PLACEHOLDER = "{topic}";

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
		return this.topicPattern.replace(TOPIC_PLACEHOLDER, topic);
	}

	@Override
	public void handle(NsqMessage message, Throwable cause) {
		this.operations.send(deadLetterTopic(message.topic()), message.body());
	}

}

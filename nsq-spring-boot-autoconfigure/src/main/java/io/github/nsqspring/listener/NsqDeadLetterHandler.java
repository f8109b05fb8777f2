package io.github.nsqspring.listener;

import io.github.nsqspring.core.NsqMessage;

/**
 * Receives messages that cannot be handled: attempts exhausted, or a payload that cannot be converted.
 * Declare one as a bean to replace the default (publish to {@code nsq.consumer.dead-letter-topic}, or log
 * at ERROR). When it returns the container finishes the message; when it throws, the message is
 * requeued with backoff so nothing is lost.
 */
@FunctionalInterface
public interface NsqDeadLetterHandler {

	/**
	 * @param message the message (do not finish or requeue it: the container does)
	 * @param cause why it is dead-lettered
	 */
	void handle(NsqMessage message, Throwable cause) throws Exception;

	/**
	 * Called at startup for each {@code @NsqListener}'s topic: throws {@link IllegalArgumentException} when
	 * this handler could not take that listener's dead letters (startup then fails naming the listener).
	 * @param topic the listener's topic
	 */
	default void validateFor(String topic) {
	}

}

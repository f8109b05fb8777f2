package io.github.nsqspring.listener.adapter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.github.nsqspring.core.NsqOperations;
import org.jspecify.annotations.Nullable;

/**
 * Publishes the return value of a {@code @SendTo} listener method to its reply topic before the message
 * is finished; a null value is not published. A failed publish fails the handling (the message is
 * retried), so no reply is lost.
 */
public final class ReplyPublisher {

	private final NsqOperations operations;

	private final String topic;

	/**
	 * @param operations publishes the replies
	 * @param topic the reply topic, a valid topic name
	 */
	public ReplyPublisher(NsqOperations operations, String topic) {
		this.operations = operations;
		this.topic = topic;
	}

	/** Publishes a non-null reply and waits for nsqd's OK. */
	void publish(@Nullable Object reply) {
		if (reply != null) {
			this.operations.send(this.topic, reply);
		}
	}

	/** Publishes a non-null reply; the stage completes with nsqd's OK. */
	CompletionStage<?> publishAsync(@Nullable Object reply) {
		return (reply != null) ? this.operations.sendAsync(this.topic, reply) : CompletableFuture.completedFuture(null);
	}

	@Override
	public String toString() {
		return "@SendTo(\"" + this.topic + "\")";
	}

}

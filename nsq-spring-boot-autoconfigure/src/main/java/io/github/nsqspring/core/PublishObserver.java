package io.github.nsqspring.core;

/** Told about every publish of an {@link NsqTemplate} once nsqd answered it (or it failed); metrics implement it. */
@FunctionalInterface
public interface PublishObserver {

	/** Observes nothing. */
	PublishObserver NONE = (topic, operation, failure, nanos) -> {
	};

	/**
	 * @param topic the topic
	 * @param operation the {@link NsqOperations} method: {@code send}, {@code sendAsync}, {@code sendBatch},
	 * {@code sendBatchAsync}, {@code sendDeferred} or {@code sendDeferredAsync}
	 * @param failure why the publish failed, or null when nsqd acknowledged it
	 * @param nanos time from the call to the answer
	 */
	void published(String topic, String operation, Throwable failure, long nanos);

}

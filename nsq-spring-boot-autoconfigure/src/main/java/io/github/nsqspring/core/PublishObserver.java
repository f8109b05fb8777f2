package io.github.nsqspring.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

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
	void published(String topic, String operation, @Nullable Throwable failure, long nanos);

	/** An observer that tells each of the given observers, in order. */
	static PublishObserver composite(List<PublishObserver> observers) {
		if (observers.isEmpty()) {
			return NONE;
		}
		if (observers.size() == 1) {
			return observers.get(0);
		}
		List<PublishObserver> all = List.copyOf(observers);
		return (topic, operation, failure, nanos) -> all.forEach((observer) -> observer.published(topic, operation, failure, nanos));
	}

}

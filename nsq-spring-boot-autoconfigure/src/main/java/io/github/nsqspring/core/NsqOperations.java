package io.github.nsqspring.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Publishing to NSQ. Payloads are converted with an {@link NsqMessageConverter}: {@code byte[]} and
 * {@code String} as they are, anything else as JSON by default.
 *
 * <p>Invalid arguments (topic name, null or empty payload, body above nsqd's size limits, empty batch,
 * delay out of range) throw {@link IllegalArgumentException} before anything is sent, also from the
 * async methods. A publish that nsqd does not acknowledge within the producer timeout throws
 * {@link NsqPublishException}; the async methods complete their future exceptionally with it instead.
 * The async methods return once the request is queued on a connection; when none is open yet they wait
 * for one to open (at most the timeout).
 */
public interface NsqOperations {

	/** Publishes one message (PUB) and returns once nsqd acknowledged it. */
	void send(String topic, Object payload);

	/** Publishes one message (PUB); the future completes once nsqd acknowledged it. */
	CompletableFuture<Void> sendAsync(String topic, Object payload);

	/** Publishes the payloads atomically as one MPUB and returns once nsqd acknowledged them. */
	void sendBatch(String topic, List<?> payloads);

	/** Publishes the payloads atomically as one MPUB; the future completes once nsqd acknowledged them. */
	CompletableFuture<Void> sendBatchAsync(String topic, List<?> payloads);

	/**
	 * Publishes one message that nsqd delivers after the delay (DPUB) and returns once nsqd acknowledged
	 * it. nsqd keeps deferred messages in memory only.
	 */
	void sendDeferred(String topic, Object payload, Duration delay);

	/** Publishes one deferred message (DPUB); the future completes once nsqd acknowledged it. */
	CompletableFuture<Void> sendDeferredAsync(String topic, Object payload, Duration delay);

}

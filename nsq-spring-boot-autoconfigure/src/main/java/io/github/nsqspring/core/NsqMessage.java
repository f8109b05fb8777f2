package io.github.nsqspring.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A message delivered to a listener: its metadata, its raw body, and manual control over its outcome.
 * In {@code AckMode.AUTO} the container finishes or requeues it after the handler; in
 * {@code AckMode.MANUAL} the handler must call {@link #finish()} or {@link #requeue(Duration)} (from any
 * thread), and the container counts the message as in flight until it does. The first outcome wins;
 * later calls are ignored.
 */
public interface NsqMessage {

	/** nsqd's 16-character message id. */
	String id();

	/**
	 * How many times nsqd has delivered this message, starting at 1; a delivery before the message's
	 * {@link NsqEnvelope#NOT_BEFORE} time does not count.
	 */
	int attempts();

	/** When the message was published, as recorded by nsqd. */
	Instant timestamp();

	/**
	 * The body (not copied: do not modify); for a message in an NSQE envelope ({@link NsqEnvelope}) its payload.
	 */
	byte[] body();

	/** The headers of the message's NSQE envelope ({@link NsqEnvelope}); empty without one. */
	default Map<String, String> headers() {
		return Map.of();
	}

	String topic();

	String channel();

	/** Tells nsqd the message is done (FIN). */
	void finish();

	/** Gives the message back to nsqd for redelivery after the delay (REQ). */
	void requeue(Duration delay);

	/** Resets nsqd's timeout for this message (TOUCH), for handlers that run long. */
	void touch();

	/** Whether {@link #finish()} or {@link #requeue(Duration)} has been called, by the handler or the container. */
	boolean isAcknowledged();

}

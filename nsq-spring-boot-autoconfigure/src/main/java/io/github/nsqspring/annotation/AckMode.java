package io.github.nsqspring.annotation;

/** Who finishes a message: the container ({@link #AUTO}) or the handler ({@link #MANUAL}). */
public enum AckMode {

	/** Return finishes the message (FIN); an exception requeues it with backoff or dead-letters it. */
	AUTO,

	/**
	 * The handler calls {@code NsqMessage.finish()} or {@code requeue(Duration)}, now or later from any
	 * thread; until then the message counts as in flight. An exception before that still requeues it.
	 */
	MANUAL

}

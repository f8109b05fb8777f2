package io.github.nsqspring.support;

/**
 * Names of the headers a listener method reads with spring-messaging's {@code @Header}, or finds in the
 * headers of a {@code Message<T>} parameter: the metadata nsqd sends with every message, and the topic and
 * channel of the listener. The headers of a message's NSQE envelope ({@code io.github.nsqspring.core.NsqEnvelope})
 * are there too, under their own names.
 */
public final class NsqHeaders {

	/** nsqd's 16-character message id ({@code String}). */
	public static final String ID = "nsq_id";

	/** How many times nsqd has delivered the message, starting at 1 ({@code int}). */
	public static final String ATTEMPTS = "nsq_attempts";

	/** When the message was published, as recorded by nsqd ({@code java.time.Instant}). */
	public static final String TIMESTAMP = "nsq_timestamp";

	/** The topic the message was published to ({@code String}). */
	public static final String TOPIC = "nsq_topic";

	/** The channel the listener consumes ({@code String}). */
	public static final String CHANNEL = "nsq_channel";

	private NsqHeaders() {
	}

}

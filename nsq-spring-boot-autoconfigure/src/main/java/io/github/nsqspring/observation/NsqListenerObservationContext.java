package io.github.nsqspring.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code nsq.listener} observation knows: the listener and the message (for a batch: its first
 * message and the batch size), and, once the message has it, its outcome. A consumer's {@link io.micrometer.observation.transport.ReceiverContext} whose carrier
 * is the message's envelope headers (empty without an envelope): tracing reads the producer's trace context
 * ({@code traceparent}, ...) from them, so the listener's span continues the producer's trace.
 */
public class NsqListenerObservationContext extends KeyValuesReceiverContext<Map<String, String>> {

	private static final Propagator.Getter<Map<String, String>> HEADER_GETTER = (headers, key) -> headers.get(key);

	private final String listener;

	private final String topic;

	private final String channel;

	private final String messageId;

	private final int attempts;

	private volatile @Nullable String outcome;

	private int batchSize;

	public NsqListenerObservationContext(String listener, String topic, String channel, String messageId, int attempts) {
		this(listener, topic, channel, messageId, attempts, Map.of());
	}

	/**
	 * @param headers the message's envelope headers, empty without an envelope
	 */
	public NsqListenerObservationContext(String listener, String topic, String channel, String messageId, int attempts,
			Map<String, String> headers) {
		super(HEADER_GETTER, Kind.CONSUMER);
		setCarrier(headers);
		setRemoteServiceName("nsq");
		this.listener = listener;
		this.topic = topic;
		this.channel = channel;
		this.messageId = messageId;
		this.attempts = attempts;
	}

	public String getListener() {
		return this.listener;
	}

	public String getTopic() {
		return this.topic;
	}

	public String getChannel() {
		return this.channel;
	}

	public String getMessageId() {
		return this.messageId;
	}

	public int getAttempts() {
		return this.attempts;
	}

	/** The number of messages of a batch listener's batch; 0 for a listener of single messages. */
	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		this.batchSize = batchSize;
	}

	/** The message's outcome ({@code finished}, {@code requeued}, ...), or null while it has none. */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}

package io.github.nsqspring.observation;

import java.util.Map;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import org.jspecify.annotations.Nullable;

/**
 * What an {@code nsq.template} observation knows: the topic, the operation and, once the publish ended, its
 * result. A producer's {@link io.micrometer.observation.transport.SenderContext}: when the published messages
 * carry an envelope its carrier is their header map, into which tracing writes the trace context
 * ({@code traceparent}, ...); otherwise it has no carrier and what tracing writes is dropped.
 */
public class NsqTemplateObservationContext extends KeyValuesSenderContext<Map<String, String>> {

	private static final Propagator.Setter<Map<String, String>> HEADER_SETTER = (headers, key, value) -> {
		if (headers != null) {
			headers.put(key, value);
		}
	};

	private final String topic;

	private final String operation;

	private volatile @Nullable String result;

	public NsqTemplateObservationContext(String topic, String operation) {
		this(topic, operation, null);
	}

	/**
	 * @param headers the envelope headers of the published messages, which tracing fills, or null when they
	 * carry no envelope
	 */
	public NsqTemplateObservationContext(String topic, String operation, @Nullable Map<String, String> headers) {
		super(HEADER_SETTER, Kind.PRODUCER);
		this.topic = topic;
		this.operation = operation;
		if (headers != null) {
			setCarrier(headers);
		}
		setRemoteServiceName("nsq");
	}

	public String getTopic() {
		return this.topic;
	}

	/** The {@code NsqOperations} method: {@code send}, {@code sendAsync}, {@code sendBatch}, ... */
	public String getOperation() {
		return this.operation;
	}

	/** {@code success} once nsqd acknowledged the publish, {@code failure} once it failed, null until then. */
	public @Nullable String getResult() {
		return this.result;
	}

	public void setResult(String result) {
		this.result = result;
	}

}

package io.github.nsqspring.observation;

import org.jspecify.annotations.Nullable;

/** What an {@code nsq.template} observation knows: the topic, the operation and, once the publish ended, its result. */
public class NsqTemplateObservationContext extends KeyValuesContext {

	private final String topic;

	private final String operation;

	private volatile @Nullable String result;

	public NsqTemplateObservationContext(String topic, String operation) {
		this.topic = topic;
		this.operation = operation;
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

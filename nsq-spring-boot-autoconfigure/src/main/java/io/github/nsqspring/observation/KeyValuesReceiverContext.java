package io.github.nsqspring.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.Propagator;
import io.micrometer.observation.transport.ReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ReceiverContext} that keeps its key values in {@link KeptKeyValues} (see there why). Its key-value methods only
 * delegate: a context must extend Micrometer's {@code ReceiverContext} for tracing to propagate through it, so
 * this base cannot be shared with the other direction's.
 *
 * @param <C> the carrier
 */
abstract class KeyValuesReceiverContext<C> extends ReceiverContext<C> {

	private final KeptKeyValues keyValues = new KeptKeyValues();

	KeyValuesReceiverContext(Propagator.Getter<C> getter, Kind kind) {
		super(getter, kind);
	}

	@Override
	public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.keyValues.low.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		this.keyValues.high.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		this.keyValues.low.addAll(keyValues);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		this.keyValues.high.addAll(keyValues);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.keyValues.low.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValue(String keyName) {
		this.keyValues.high.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValues(String... keyNames) {
		this.keyValues.low.remove(keyNames);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValues(String... keyNames) {
		this.keyValues.high.remove(keyNames);
		return this;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		return this.keyValues.low.keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		return this.keyValues.high.keyValues;
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		return this.keyValues.low.find(key);
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		return this.keyValues.high.find(key);
	}

	@Override
	public KeyValues getAllKeyValues() {
		return this.keyValues.all();
	}

}

package io.github.nsqspring.observation;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * An {@link Observation.Context} that keeps its low- and high-cardinality key values as immutable
 * {@link KeyValues} rather than in maps. An observation adds its convention's key values when it starts and
 * again when it stops, and a meter handler reads them back: a context's maps copy, and its getter sorts, the
 * same six keys three times per message. Here the convention's {@link KeyValues} are kept as they are when
 * they hold every key already kept, so a convention that returns the same instances (as the default ones do)
 * costs nothing per message; any other addition is merged, later values winning, as the maps would.
 */
abstract class KeyValuesContext extends Observation.Context {

	private volatile KeyValues low = KeyValues.empty();

	private volatile KeyValues high = KeyValues.empty();

	@Override
	public synchronized Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.low = this.low.and(Objects.requireNonNull(keyValue, "keyValue"));
		return this;
	}

	@Override
	public synchronized Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		this.high = this.high.and(Objects.requireNonNull(keyValue, "keyValue"));
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		// what an observation adds again when it stops is most often what it added when it started
		if (keyValues != this.low && keyValues != KeyValues.empty()) {
			synchronized (this) {
				this.low = merge(this.low, keyValues);
			}
		}
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		// what an observation adds again when it stops is most often what it added when it started
		if (keyValues != this.high && keyValues != KeyValues.empty()) {
			synchronized (this) {
				this.high = merge(this.high, keyValues);
			}
		}
		return this;
	}

	@Override
	public synchronized Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.low = without(this.low, keyName);
		return this;
	}

	@Override
	public synchronized Observation.Context removeHighCardinalityKeyValue(String keyName) {
		this.high = without(this.high, keyName);
		return this;
	}

	@Override
	public synchronized Observation.Context removeLowCardinalityKeyValues(String... keyNames) {
		this.low = without(this.low, keyNames);
		return this;
	}

	@Override
	public synchronized Observation.Context removeHighCardinalityKeyValues(String... keyNames) {
		this.high = without(this.high, keyNames);
		return this;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		return this.low;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		return this.high;
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		return find(this.low, key);
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		return find(this.high, key);
	}

	@Override
	public KeyValues getAllKeyValues() {
		return this.low.and(this.high);
	}

	/** The added key values themselves when they have every key of the kept ones, else both merged. */
	private static KeyValues merge(KeyValues kept, KeyValues added) {
		return hasEveryKey(added, kept) ? added : kept.and(added);
	}

	// both are sorted by key without duplicates: one pass over the two (a convention's keys are most often
	// the same String instances each time, so the identity check settles most comparisons)
	private static boolean hasEveryKey(KeyValues keyValues, KeyValues of) {
		Iterator<KeyValue> candidates = keyValues.iterator();
		for (KeyValue wanted : of) {
			boolean found = false;
			while (!found && candidates.hasNext()) {
				String key = candidates.next().getKey();
				int order = (key == wanted.getKey()) ? 0 : key.compareTo(wanted.getKey());
				if (order > 0) {
					return false;
				}
				found = (order == 0);
			}
			if (!found) {
				return false;
			}
		}
		return true;
	}

	private static KeyValues without(KeyValues keyValues, String... keyNames) {
		return KeyValues.of(keyValues.stream().filter((keyValue) -> !Arrays.asList(keyNames).contains(keyValue.getKey())).toList());
	}

	private static @Nullable KeyValue find(KeyValues keyValues, String key) {
		for (KeyValue keyValue : keyValues) {
			if (keyValue.getKey().equals(key)) {
				return keyValue;
			}
		}
		return null;
	}

}

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

	private final Kept low = new Kept();

	private final Kept high = new Kept();

	@Override
	public Observation.Context addLowCardinalityKeyValue(KeyValue keyValue) {
		this.low.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValue(KeyValue keyValue) {
		this.high.add(keyValue);
		return this;
	}

	@Override
	public Observation.Context addLowCardinalityKeyValues(KeyValues keyValues) {
		this.low.addAll(keyValues);
		return this;
	}

	@Override
	public Observation.Context addHighCardinalityKeyValues(KeyValues keyValues) {
		this.high.addAll(keyValues);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValue(String keyName) {
		this.low.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValue(String keyName) {
		this.high.remove(keyName);
		return this;
	}

	@Override
	public Observation.Context removeLowCardinalityKeyValues(String... keyNames) {
		this.low.remove(keyNames);
		return this;
	}

	@Override
	public Observation.Context removeHighCardinalityKeyValues(String... keyNames) {
		this.high.remove(keyNames);
		return this;
	}

	@Override
	public KeyValues getLowCardinalityKeyValues() {
		return this.low.keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues() {
		return this.high.keyValues;
	}

	@Override
	public @Nullable KeyValue getLowCardinalityKeyValue(String key) {
		return this.low.find(key);
	}

	@Override
	public @Nullable KeyValue getHighCardinalityKeyValue(String key) {
		return this.high.find(key);
	}

	@Override
	public KeyValues getAllKeyValues() {
		return this.low.keyValues.and(this.high.keyValues);
	}

	/** One cardinality's key values: read without a lock, replaced under this object's own lock. */
	private static final class Kept {

		private volatile KeyValues keyValues = KeyValues.empty();

		synchronized void add(KeyValue keyValue) {
			this.keyValues = this.keyValues.and(Objects.requireNonNull(keyValue, "keyValue"));
		}

		void addAll(KeyValues added) {
			// what an observation adds again when it stops is most often what it added when it started
			if (added != this.keyValues && added != KeyValues.empty()) {
				synchronized (this) {
					this.keyValues = hasEveryKey(added, this.keyValues) ? added : this.keyValues.and(added);
				}
			}
		}

		synchronized void remove(String... keyNames) {
			this.keyValues = KeyValues.of(this.keyValues.stream()
				.filter((keyValue) -> !Arrays.asList(keyNames).contains(keyValue.getKey()))
				.toList());
		}

		@Nullable KeyValue find(String key) {
			for (KeyValue keyValue : this.keyValues) {
				if (keyValue.getKey().equals(key)) {
					return keyValue;
				}
			}
			return null;
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

	}

}

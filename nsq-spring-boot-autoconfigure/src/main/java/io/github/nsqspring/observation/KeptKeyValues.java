package io.github.nsqspring.observation;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.jspecify.annotations.Nullable;

/**
 * The low- and high-cardinality key values of a context, kept as immutable {@link KeyValues} rather than in
 * maps. An observation adds its convention's key values when it starts and again when it stops, and a meter
 * handler reads them back: Micrometer's context maps copy, and its getter sorts, the same six keys three
 * times per message. Here the convention's {@link KeyValues} are kept as they are when they hold every key
 * already kept, so a convention that returns the same instances (as the default ones do) costs nothing per
 * message; any other addition is merged, later values winning, as the maps would. The contexts
 * ({@link KeyValuesSenderContext}, {@link KeyValuesReceiverContext}) delegate every key-value method here.
 */
final class KeptKeyValues {

	final Kept low = new Kept();

	final Kept high = new Kept();

	KeyValues all() {
		return this.low.keyValues.and(this.high.keyValues);
	}

	/** One cardinality's key values: read without a lock, replaced under this object's own lock. */
	static final class Kept {

		volatile KeyValues keyValues = KeyValues.empty();

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

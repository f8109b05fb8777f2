package io.github.nsqspring.support;

import java.time.Duration;

/** The range checks of settings; each failure names the setting and the value it refused. */
public final class RangeChecks {

	private RangeChecks() {
	}

	/** Returns the value when it is above zero. */
	public static Duration positive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
		}
		return value;
	}

	/** Returns the value when it is at least {@code minimum}. */
	public static Duration atLeast(String name, Duration minimum, Duration value) {
		if (value == null || value.compareTo(minimum) < 0) {
			String least = (minimum.toMillis() % 1000 == 0) ? minimum.toSeconds() + "s" : minimum.toMillis() + "ms";
			throw new IllegalArgumentException(name + " must be at least " + least + ", not " + value);
		}
		return value;
	}

	/** Returns the value when it is at least {@code minimum}. */
	public static int atLeast(String name, int minimum, int value) {
		return (int) atLeast(name, minimum, (long) value);
	}

	/** Returns the value when it is at least {@code minimum}. */
	public static long atLeast(String name, long minimum, long value) {
		if (value < minimum) {
			throw new IllegalArgumentException(name + " must be at least " + minimum + ", not " + value);
		}
		return value;
	}

	/** Returns the value when it is at most {@code maximum}. */
	public static int atMost(String name, int maximum, int value) {
		if (value > maximum) {
			throw new IllegalArgumentException(name + " must be at most " + maximum + ", not " + value);
		}
		return value;
	}

	/** Returns the value when it is from {@code minimum} to {@code maximum}. */
	public static int between(String name, int minimum, int maximum, int value) {
		if (value < minimum || value > maximum) {
			throw new IllegalArgumentException(name + " must be between " + minimum + " and " + maximum + ", not " + value);
		}
		return value;
	}

}

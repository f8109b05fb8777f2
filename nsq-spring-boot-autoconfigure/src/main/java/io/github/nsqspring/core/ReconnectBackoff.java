package io.github.nsqspring.core;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Pause before a producer connection is tried again after failed attempts: 100 ms doubling per failure up
 * to 2 s, each drawn at random between half and all of that (jitter, so that many producers do not
 * reconnect in step). An unreachable nsqd thus sees at most one attempt per second per connection once
 * the cap is reached.
 */
final class ReconnectBackoff {

	static final long INITIAL_MILLIS = 100;

	static final long MAX_MILLIS = 2000;

	private ReconnectBackoff() {
	}

	/** The pause after the given number of failed attempts in a row (at least 1). */
	static long delayNanos(int failedAttempts) {
		long millis = INITIAL_MILLIS << Math.min(failedAttempts - 1, 10);
		long capped = TimeUnit.MILLISECONDS.toNanos(Math.min(millis, MAX_MILLIS));
		return ThreadLocalRandom.current().nextLong(capped / 2, capped + 1);
	}

}

package io.github.nsqspring.core;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReconnectBackoff} doubles from 100 ms to 2 s, with jitter between half and all of it. */
class ReconnectBackoffTests {

	@Test
	void doublesUpToTheCapWithJitter() {
		for (int failures = 1; failures <= 40; failures++) {
			long expected = Math.min(100L << Math.min(failures - 1, 10), 2000);
			for (int i = 0; i < 100; i++) {
				long millis = TimeUnit.NANOSECONDS.toMillis(ReconnectBackoff.delayNanos(failures));
				assertThat(millis).as("after %d failures", failures).isBetween(expected / 2, expected);
			}
		}
	}

}

package io.github.nsqspring.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Warns at startup when Spring would give up waiting for the listener drain: the lifecycle phase
 * timeout ({@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s by default) must cover
 * {@code nsq.consumer.shutdown-timeout} plus the time to requeue and disconnect.
 */
class ShutdownPhaseTimeoutCheck implements SmartInitializingSingleton {

	static final Duration MARGIN = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeoutCheck.class);

	private final Duration shutdownTimeout;

	private final Duration phaseTimeout;

	ShutdownPhaseTimeoutCheck(Duration shutdownTimeout, Duration phaseTimeout) {
		this.shutdownTimeout = shutdownTimeout;
		this.phaseTimeout = phaseTimeout;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Duration needed = this.shutdownTimeout.plus(MARGIN);
		if (this.phaseTimeout.compareTo(needed) < 0) {
			logger.warn("spring.lifecycle.timeout-per-shutdown-phase (" + this.phaseTimeout.toMillis() + " ms) is shorter than "
					+ "nsq.consumer.shutdown-timeout (" + this.shutdownTimeout.toMillis() + " ms) plus " + MARGIN.toSeconds()
					+ " s to requeue and disconnect: Spring may stop waiting while NSQ listeners still drain. Raise "
					+ "spring.lifecycle.timeout-per-shutdown-phase to at least " + needed.toSeconds() + "s or lower "
					+ "nsq.consumer.shutdown-timeout.");
		}
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The synchronous {@code stop()} of a lifecycle whose {@code stop(Runnable)} drains on other threads, bounded
 * as spring-kafka bounds {@code stop()}: by the shutdown timeout plus {@link #MARGIN} for the drain's last steps.
 */
final class StopAndWait {

	/** What a drain may take beyond its shutdown timeout: CLS and CLOSE_WAIT (1 s), stopping the nsq-j client (2 s), and slack. */
	static final Duration MARGIN = Duration.ofSeconds(5);

	private static final Log logger = LogFactory.getLog(StopAndWait.class);

	private StopAndWait() {
	}

	/**
	 * Calls {@code stop(callback)} and returns when the callback has run, or after {@code shutdownTimeout} plus
	 * {@link #MARGIN} with one WARN (the drain goes on), or when the thread is interrupted.
	 * @return whether the lifecycle stopped in time
	 */
	static boolean stop(SmartLifecycle lifecycle, Duration shutdownTimeout) {
		return stopWithin(lifecycle, shutdownTimeout.plus(MARGIN));
	}

	/** {@link #stop} with the whole bound given. */
	static boolean stopWithin(SmartLifecycle lifecycle, Duration bound) {
		CountDownLatch stopped = new CountDownLatch(1);
		lifecycle.stop(stopped::countDown);
		try {
			if (stopped.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
				return true;
			}
			logger.warn(lifecycle + " has not stopped within " + bound.toMillis() + " ms (its shutdown timeout plus "
					+ MARGIN.toMillis() + " ms); returning while it goes on draining");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return false;
	}

}

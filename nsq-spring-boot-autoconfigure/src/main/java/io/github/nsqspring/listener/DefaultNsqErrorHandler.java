package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The default retry policy: a payload that cannot be converted, and a failure of a not-retryable class (or
 * caused by one), go to the dead-letter path at once; a failure of attempt {@code maxAttempts} too;
 * any other failure is requeued after the {@code attempt}-th interval of a Spring {@link BackOff}, moved at
 * random by up to ±{@code jitter} of it. A back-off whose execution stops ({@link BackOffExecution#STOP})
 * dead-letters. A dead letter whose handler throws is requeued after the same interval.
 */
public class DefaultNsqErrorHandler implements NsqErrorHandler {

	/** Longest run of intervals read from the back-off: after that many doublings each is the maximum. */
	private static final int MAX_INTERVALS = 64;

	private final BackOff backOff;

	private final int maxAttempts;

	private final double jitter;

	private final List<Class<?>> notRetryable;

	/**
	 * @param backOff the requeue delays: the {@code n}-th interval after failed attempt {@code n}
	 * @param maxAttempts the attempt whose failure is dead-lettered, at least 1
	 * @param jitter fraction (0 to 1) by which each delay is moved at random, up or down
	 * @param notRetryable exception classes dead-lettered at once (also as the cause of the failure)
	 */
	public DefaultNsqErrorHandler(BackOff backOff, int maxAttempts, double jitter, List<Class<?>> notRetryable) {
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
		}
		if (!(jitter >= 0 && jitter <= 1)) {
			throw new IllegalArgumentException("jitter must be between 0 and 1, not " + jitter);
		}
		this.backOff = backOff;
		this.maxAttempts = maxAttempts;
		this.jitter = jitter;
		this.notRetryable = List.copyOf(notRetryable);
	}

	/**
	 * The policy of {@code nsq.consumer.*} for one container: {@code max-attempts}, an
	 * {@link ExponentialBackOff} from {@code backoff.initial} doubling up to {@code backoff.max}, with
	 * {@code backoff.jitter} and {@code not-retryable-exceptions}.
	 */
	public static DefaultNsqErrorHandler of(ContainerProperties properties) {
		ExponentialBackOff backOff = new ExponentialBackOff(properties.getBackoffInitial().toMillis(), 2.0);
		backOff.setMaxInterval(properties.getBackoffMax().toMillis());
		return new DefaultNsqErrorHandler(backOff, properties.getMaxAttempts(), properties.getBackoffJitter(),
				properties.getNotRetryableExceptions());
	}

	@Override
	public Decision handle(NsqMessage message, Throwable failure, int attempt) {
		long delay = delayMillis(attempt);
		if (delay == BackOffExecution.STOP) {
			return Decision.deadLetter();
		}
		Duration jittered = Duration.ofMillis(jittered(delay, this.jitter));
		if (failure instanceof NsqPayloadConversionException || attempt >= this.maxAttempts || isNotRetryable(failure)) {
			return Decision.deadLetter(jittered);
		}
		return Decision.requeue(jittered);
	}

	/** The requeue delay after failed attempt {@code attempt}, jittered. */
	public Duration backOffFor(int attempt) {
		long delay = delayMillis(attempt);
		return Duration.ofMillis((delay != BackOffExecution.STOP) ? jittered(delay, this.jitter) : 0);
	}

	private long delayMillis(int attempt) {
		BackOffExecution execution = this.backOff.start();
		long delay = BackOffExecution.STOP;
		for (int i = 0; i < Math.min(Math.max(attempt, 1), MAX_INTERVALS); i++) {
			delay = execution.nextBackOff();
			if (delay == BackOffExecution.STOP) {
				break;
			}
		}
		return delay;
	}

	/** Whether the failure, or one of its causes, is of a not-retryable class. */
	public boolean isNotRetryable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			for (Class<?> type : this.notRetryable) {
				if (type.isInstance(cause)) {
					return true;
				}
			}
		}
		return false;
	}

	/** {@code millis} moved at random by up to ±{@code jitter} of it. */
	static long jittered(long millis, double jitter) {
		double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
		return Math.round(millis * factor);
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.Objects;

import io.github.nsqspring.core.NsqMessage;

/**
 * Decides what happens to a message whose listener failed: finish it, requeue it with a delay, or hand it
 * to the dead-letter path. The container applies the decision; one handler may serve many containers.
 * Set one on a container factory ({@link NsqListenerContainerFactory#setErrorHandler}), declare one as a
 * bean (the auto-configured factory takes it), or name one per listener
 * ({@code @NsqListener(errorHandler = "beanName")}); without one each container uses a
 * {@link DefaultNsqErrorHandler} built from its properties.
 * <pre class="code">
 * &#64;Bean
 * NsqErrorHandler errorHandler() {
 *     return (message, failure, attempt) -&gt; (failure instanceof IllegalArgumentException || attempt &gt;= 3)
 *             ? NsqErrorHandler.Decision.deadLetter() : NsqErrorHandler.Decision.requeue(Duration.ofSeconds(5));
 * }
 * </pre>
 * A delivery beyond the container's {@code maxAttempts} never reaches the listener: the container asks the
 * handler with an {@link IllegalStateException} that says so. A handler that throws gets the message
 * requeued after {@link Decision#DEFAULT_RETRY_DELAY}, with an ERROR.
 */
@FunctionalInterface
public interface NsqErrorHandler {

	/**
	 * @param message the message (do not finish or requeue it: the container applies the decision)
	 * @param failure what the listener threw (unwrapped from a {@code CompletionException}), or why the
	 * container did not call it
	 * @param attempt the delivery attempt that failed, from 1 ({@code message.attempts()})
	 * @return the decision; never null
	 */
	Decision handle(NsqMessage message, Throwable failure, int attempt);

	/** What to do with a failed message: FIN, REQ with a delay, or the dead-letter path. */
	final class Decision {

		/**
		 * The requeue delay of a message whose dead-lettering failed (the dead-letter handler threw) when the
		 * decision names none, and of a message whose error handler threw.
		 */
		public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);

		private static final Decision FINISH = new Decision(Action.FINISH, Duration.ZERO);

		private static final Decision DEAD_LETTER = new Decision(Action.DEAD_LETTER, DEFAULT_RETRY_DELAY);

		private final Action action;

		private final Duration delay;

		private Decision(Action action, Duration delay) {
			this.action = action;
			this.delay = Objects.requireNonNull(delay, "delay");
			if (delay.isNegative()) {
				throw new IllegalArgumentException("delay must not be negative, not " + delay);
			}
		}

		/** FIN: the message is done with, as if the listener had succeeded (counted as finished). */
		public static Decision finish() {
			return FINISH;
		}

		/** REQ with this delay: nsqd delivers the message again (attempt + 1) after it. */
		public static Decision requeue(Duration delay) {
			return new Decision(Action.REQUEUE, delay);
		}

		/** The dead-letter handler, then FIN; requeued after {@link #DEFAULT_RETRY_DELAY} when that handler throws. */
		public static Decision deadLetter() {
			return DEAD_LETTER;
		}

		/** The dead-letter handler, then FIN; requeued after {@code retryDelay} when that handler throws. */
		public static Decision deadLetter(Duration retryDelay) {
			return new Decision(Action.DEAD_LETTER, retryDelay);
		}

		public Action action() {
			return this.action;
		}

		/** The requeue delay: of {@link Action#REQUEUE}, or of a dead letter whose handler threw; zero for FINISH. */
		public Duration delay() {
			return this.delay;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Decision decision && this.action == decision.action && this.delay.equals(decision.delay);
		}

		@Override
		public int hashCode() {
			return Objects.hash(this.action, this.delay);
		}

		@Override
		public String toString() {
			return (this.action == Action.FINISH) ? "FINISH" : this.action + " (" + this.delay.toMillis() + " ms)";
		}

		/** The kinds of decision. */
		public enum Action {

			/** FIN. */
			FINISH,

			/** REQ with a delay. */
			REQUEUE,

			/** The dead-letter path. */
			DEAD_LETTER

		}

	}

}

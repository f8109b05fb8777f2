package io.github.nsqspring.listener;

/**
 * Thrown by a batch listener to say which message of its batch failed: the messages before {@code index}
 * are finished, the failed one follows the retry and dead-letter rules of the container's
 * {@link NsqErrorHandler} (its failure counts as an attempt), and the messages after it are requeued at once
 * without counting a failure (the container discounts the extra delivery nsqd counts for them). An index
 * outside the batch fails the whole batch, as any other exception does.
 */
public class NsqBatchListenerFailedException extends RuntimeException {

	private final int index;

	/**
	 * @param index the position of the failed message in the list the listener was given
	 * @param cause why it failed
	 */
	public NsqBatchListenerFailedException(int index, Throwable cause) {
		super("Batch listener failed on the message at index " + index + ": " + cause, cause);
		this.index = index;
	}

	/**
	 * @param message what went wrong
	 * @param index the position of the failed message in the list the listener was given
	 * @param cause why it failed
	 */
	public NsqBatchListenerFailedException(String message, int index, Throwable cause) {
		super(message, cause);
		this.index = index;
	}

	/** The position of the failed message in the list the listener was given. */
	public int getIndex() {
		return this.index;
	}

}

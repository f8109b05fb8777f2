package io.github.nsqspring.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import org.jspecify.annotations.Nullable;

/**
 * Cuts a sequence of messages, in order, into MPUB batches of at most {@code maxMessages} messages whose
 * MPUB body (a 4-byte count, then a 4-byte size and the bytes of each message) stays within nsqd's
 * {@code --max-body-size}. A single message larger than that goes alone, for nsqd to refuse.
 *
 * @param <T> what is batched
 */
public final class MpubBatcher<T> {

	private static final int COUNT_BYTES = 4;

	private static final int SIZE_BYTES = 4;

	private final int maxMessages;

	private final long maxBodyBytes;

	private final ToIntFunction<T> bodyLength;

	private List<T> batch = new ArrayList<>();

	private long bytes = COUNT_BYTES;

	/**
	 * @param maxMessages the most messages per batch
	 * @param maxBodyBytes the largest MPUB body nsqd accepts
	 * @param bodyLength the body length of a message
	 */
	public MpubBatcher(int maxMessages, long maxBodyBytes, ToIntFunction<T> bodyLength) {
		this.maxMessages = maxMessages;
		this.maxBodyBytes = maxBodyBytes;
		this.bodyLength = bodyLength;
	}

	/** The size of an MPUB body carrying these messages: the count, then each message's size and bytes. */
	public static long bodySize(List<byte[]> bodies) {
		long size = COUNT_BYTES;
		for (byte[] body : bodies) {
			size += SIZE_BYTES + body.length;
		}
		return size;
	}

	/** The limit rule of an MPUB: whether {@code messages} with a body of {@code bodyBytes} exceed a batch's limits. */
	public static boolean exceeds(int messages, long bodyBytes, int maxMessages, long maxBodyBytes) {
		return messages > maxMessages || bodyBytes > maxBodyBytes;
	}

	/** Adds a message; returns the batch it did not fit into, complete, or null when it fit. */
	public @Nullable List<T> add(T message) {
		long size = SIZE_BYTES + this.bodyLength.applyAsInt(message);
		List<T> full = null;
		if (!this.batch.isEmpty() && exceeds(this.batch.size() + 1, this.bytes + size, this.maxMessages, this.maxBodyBytes)) {
			full = finish();
		}
		this.batch.add(message);
		this.bytes += size;
		return full;
	}

	/** Returns the batch in progress (null when empty) and starts a new one. */
	public @Nullable List<T> finish() {
		if (this.batch.isEmpty()) {
			return null;
		}
		List<T> finished = this.batch;
		this.batch = new ArrayList<>();
		this.bytes = COUNT_BYTES;
		return finished;
	}

}

package io.github.nsqspring.listener;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deliveries of a batch listener's messages that do not count as attempts: a message requeued because
 * a message before it in its batch failed ({@link NsqBatchListenerFailedException}) comes back with nsqd's
 * attempts one higher, though it never failed. nsqd cannot be told so (a REQ carries no attempts), so the
 * container remembers it, by message id, and subtracts it from the attempts the retry logic counts when
 * the message comes back. It remembers across the container's restarts but only in this process: a
 * message redelivered to another process counts every delivery (it gets fewer retries, never more). An
 * entry is dropped when its message is finished or dead-lettered here, and the oldest are dropped beyond a
 * bound.
 */
final class UncountedDeliveries {

	private final Map<String, Integer> uncounted;

	/** @param capacity the most messages remembered */
	UncountedDeliveries(int capacity) {
		this.uncounted = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
				return size() > capacity;
			}

		};
	}

	/** The message was requeued without counting a failure. */
	synchronized void add(String messageId) {
		this.uncounted.merge(messageId, 1, Integer::sum);
	}

	/** Deliveries of the message that do not count; 0 for most. */
	synchronized int of(String messageId) {
		return this.uncounted.getOrDefault(messageId, 0);
	}

	/** The message is done with (finished or dead-lettered). */
	synchronized void forget(String messageId) {
		this.uncounted.remove(messageId);
	}

}

package io.github.nsqspring.actuate;

import java.util.HashMap;
import java.util.Map;

/**
 * Sums a count that each nsqd keeps for a channel (its requeues, its timeouts) into one total that never
 * decreases, as a Micrometer function counter must. nsqd's count starts again from 0 when nsqd restarts
 * or the channel is deleted and created again: a value below the last one seen from that nsqd is what
 * was counted since, and adds in full; a higher one adds the difference. The first value from an nsqd
 * adds in full. Written by one thread at a time; read by any.
 */
final class NsqdCounterSum {

	private final Map<String, Long> last = new HashMap<>();

	private volatile long total;

	/** Takes the count an nsqd reported now. */
	void observe(String nsqd, long count) {
		Long previous = this.last.put(nsqd, count);
		long added = (previous == null || count < previous) ? count : count - previous;
		this.total += added;
	}

	long total() {
		return this.total;
	}

}

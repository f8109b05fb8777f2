package io.github.nsqspring.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a fault scenario published and handled, by unique message body: every publish nsqd acknowledged
 * must have been handled at least once; handling one twice counts as a duplicate.
 */
final class Journal {

	private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();

	/** Nanotime at which each body was first handled with attempts above 1 (redelivered). */
	private final Map<String, Long> redelivered = new ConcurrentHashMap<>();

	void acknowledged(String body) {
		this.acknowledged.add(body);
	}

	void handled(String body, int attempts) {
		this.handled.computeIfAbsent(body, (key) -> new AtomicInteger()).incrementAndGet();
		if (attempts > 1) {
			this.redelivered.putIfAbsent(body, System.nanoTime());
		}
	}

	boolean wasHandled(String body) {
		return this.handled.containsKey(body);
	}

	int acknowledgedCount() {
		return this.acknowledged.size();
	}

	int handledCount() {
		return this.handled.size();
	}

	/** Acknowledged publishes never handled. */
	List<String> lost() {
		List<String> lost = new ArrayList<>();
		for (String body : this.acknowledged) {
			if (!this.handled.containsKey(body)) {
				lost.add(body);
			}
		}
		return lost;
	}

	boolean allHandled() {
		return this.handled.keySet().containsAll(this.acknowledged);
	}

	/** Handler calls beyond the first of each body. */
	long duplicates() {
		return this.handled.values().stream().mapToLong((count) -> count.get() - 1).sum();
	}

	/** When redelivered bodies were first handled again (nanotime). */
	List<Long> redeliveryTimes() {
		return List.copyOf(this.redelivered.values());
	}

	@Override
	public String toString() {
		return "acknowledged " + this.acknowledged.size() + ", handled " + this.handled.size() + ", lost "
				+ lost().size() + ", duplicates " + duplicates();
	}

}

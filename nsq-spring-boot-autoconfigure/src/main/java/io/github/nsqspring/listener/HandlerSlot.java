package io.github.nsqspring.listener;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One of a container's {@code concurrency} places to run a handler: while a worker occupies it, the slot
 * holds that worker's thread and the message (or batch of messages) whose handler runs, so that tracking a message from delivery
 * to its outcome writes to no shared structure, and the drain finds (and may interrupt) the handlers that
 * still run, whatever kind of thread runs them.
 */
class HandlerSlot {

	private volatile @Nullable Thread thread;

	private volatile @Nullable DeliveredMessage current;

	private volatile List<DeliveredMessage> batch = List.of();

	/** Between taking an item from the queue and holding its message(s): the item is in neither place. */
	private volatile boolean taking;

	/** The calling thread takes the slot. */
	void occupy() {
		this.thread = Thread.currentThread();
	}

	/** The thread leaves the slot. */
	void vacate() {
		this.current = null;
		this.batch = List.of();
		this.thread = null;
	}

	/** The thread in the slot, or null. */
	@Nullable Thread thread() {
		return this.thread;
	}

	/** The message whose handler runs in this slot, or null. */
	@Nullable DeliveredMessage current() {
		return this.current;
	}

	void hold(@Nullable DeliveredMessage message) {
		this.current = message;
		// read before written: a volatile write per message is what this saves
		if (message != null && this.taking) {
			this.taking = false;
		}
	}

	/** The messages of the batch whose handler runs in this slot, or none. */
	List<DeliveredMessage> batch() {
		return this.batch;
	}

	void holdBatch(List<DeliveredMessage> messages) {
		this.batch = messages;
		if (!messages.isEmpty() && this.taking) {
			this.taking = false;
		}
	}

	/** The worker is about to take an item from the queue (true), or holds it or took none (false). */
	void taking(boolean taking) {
		this.taking = taking;
	}

	/** Whether the worker may have taken an item from the queue that it does not hold yet. */
	boolean isTaking() {
		return this.taking;
	}

}

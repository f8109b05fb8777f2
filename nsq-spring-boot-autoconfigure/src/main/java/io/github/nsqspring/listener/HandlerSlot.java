package io.github.nsqspring.listener;

import java.util.List;
import java.util.Set;

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

	/** The drain is deciding whether to interrupt this slot's thread (see {@link #interruptIfHolding}). */
	private volatile boolean interrupting;

	/** The drain interrupted the thread for the handler in this slot; cleared when that handler ends. */
	private volatile boolean interruptSent;

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

	/** The handler of the message starts in this slot. */
	void hold(DeliveredMessage message) {
		this.current = message;
		// read before written: a volatile write per message is what this saves
		if (this.taking) {
			this.taking = false;
		}
	}

	/**
	 * The handler in this slot returned (on its thread): the slot holds no message or batch from now on, and an
	 * interrupt the drain sent for that handler is taken back from the thread, which may go on to other work.
	 */
	void handlerEnded() {
		this.current = null;
		if (!this.batch.isEmpty()) {
			this.batch = List.of();
		}
		// with interruptIfHolding, Dekker's way: either the drain sees the slot empty, or this sees it deciding
		while (this.interrupting) {
			Thread.onSpinWait();
		}
		if (this.interruptSent) {
			this.interruptSent = false;
			Thread.interrupted();
		}
	}

	/**
	 * Interrupts the thread in the slot when its handler runs one of the messages; never a thread whose handler
	 * ended before (its interrupt would reach whatever the thread runs next).
	 */
	void interruptIfHolding(Set<DeliveredMessage> messages) {
		this.interrupting = true;
		try {
			Thread thread = this.thread;
			DeliveredMessage running = this.current;
			if (thread != null && ((running != null && messages.contains(running))
					|| this.batch.stream().anyMatch(messages::contains))) {
				this.interruptSent = true;
				thread.interrupt();
			}
		}
		finally {
			this.interrupting = false;
		}
	}

	/** The messages of the batch whose handler runs in this slot, or none. */
	List<DeliveredMessage> batch() {
		return this.batch;
	}

	/** The handler of the batch starts in this slot. */
	void holdBatch(List<DeliveredMessage> messages) {
		this.batch = messages;
		if (this.taking) {
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

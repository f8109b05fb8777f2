package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The messages of one container that were delivered and have no outcome yet. A message handled in one of
 * the container's {@link HandlerSlot}s (alone, or in a batch) is held by that slot while its handler runs, so the common case
 * (a handler that finishes or fails its message before it returns) writes to no shared structure. A
 * message still unacknowledged when its handler returns (manual acknowledgement), or taken on any other
 * thread (nsq-j's reader thread or the drain, which only requeue), is kept in a concurrent set until its
 * outcome.
 * <p>
 * {@link #awaitAllAcknowledged(long)} waits on a signal: once it has begun, every handler that ends and every
 * outcome wakes it.
 */
final class UnacknowledgedMessages {

	private static final long TAKING_LOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final List<? extends HandlerSlot> slots;

	private final Set<DeliveredMessage> detached = ConcurrentHashMap.newKeySet();

	private final Object signal = new Object();

	private volatile boolean awaited;

	/** @param slots the handler slots of the container's run (empty before the container started) */
	UnacknowledgedMessages(List<? extends HandlerSlot> slots) {
		this.slots = slots;
	}

	/**
	 * Tracks a message from now on; called on the thread that is about to handle it, in its slot (null on
	 * another thread: nsq-j's reader or the drain, which only requeue).
	 */
	void handlerStarting(DeliveredMessage message, @Nullable HandlerSlot slot) {
		if (slot != null) {
			slot.hold(message);
		}
		else {
			detach(message);
		}
	}

	/** Called on the same thread when the handler returned; an unacknowledged message stays tracked. */
	void handlerEnded(DeliveredMessage message, @Nullable HandlerSlot slot) {
		if (slot != null) {
			if (!message.isAcknowledged()) {
				detach(message);
			}
			slot.handlerEnded();
		}
		signalIfAwaited();
	}

	/** Tracks the messages of a batch from now on; called on the thread that is about to handle it, in its slot. */
	void batchStarting(List<DeliveredMessage> messages, HandlerSlot slot) {
		slot.holdBatch(messages);
	}

	/** Called on the same thread when the batch's handler returned; unacknowledged messages stay tracked. */
	void batchEnded(List<DeliveredMessage> messages, HandlerSlot slot) {
		for (DeliveredMessage message : messages) {
			if (!message.isAcknowledged()) {
				detach(message);
			}
		}
		slot.handlerEnded();
		signalIfAwaited();
	}

	/** Called once the message has its outcome. */
	void acknowledged(DeliveredMessage message) {
		if (message.isDetached()) {
			this.detached.remove(message);
		}
		signalIfAwaited();
	}

	/**
	 * Stops tracking a message that has no outcome and whose handler has returned: it no longer counts as
	 * in flight, is not touched and is not requeued by a drain.
	 */
	void forget(DeliveredMessage message) {
		this.detached.remove(message);
		signalIfAwaited();
	}

	/**
	 * Waits until every message has its outcome, no handler runs and no worker is taking a message from the
	 * queue, at most until {@code deadlineNanos} (of {@link System#nanoTime()}).
	 * @return whether all were acknowledged in time
	 */
	boolean awaitAllAcknowledged(long deadlineNanos) throws InterruptedException {
		// set before the first look: a handler that ends after the look sees the flag and wakes this thread
		this.awaited = true;
		synchronized (this.signal) {
			for (long left = deadlineNanos - System.nanoTime(); ; left = deadlineNanos - System.nanoTime()) {
				boolean taking = anyWorkerTaking();
				if (!taking && isEmpty()) {
					return true;
				}
				if (left <= 0) {
					return false;
				}
				// a worker taking a message sends no signal when it holds it or finds none: look again soon
				TimeUnit.NANOSECONDS.timedWait(this.signal, taking ? Math.min(left, TAKING_LOOK_NANOS) : left);
			}
		}
	}

	/**
	 * Whether a worker may have taken a message from the queue that it does not hold yet (the drain took
	 * the queue back before it waits here); a moment later it holds it, and requeues it as the container no
	 * longer accepts.
	 */
	private boolean anyWorkerTaking() {
		for (HandlerSlot slot : this.slots) {
			if (slot.isTaking()) {
				return true;
			}
		}
		return false;
	}

	private void signalIfAwaited() {
		if (this.awaited) {
			synchronized (this.signal) {
				this.signal.notifyAll();
			}
		}
	}

	private void detach(DeliveredMessage message) {
		// in the set before flagged: whoever sees the flag (forEach, an outcome) finds the entry
		this.detached.add(message);
		message.detach();
		// an outcome set concurrently may have missed the entry just added
		if (message.isAcknowledged()) {
			this.detached.remove(message);
		}
	}

	/**
	 * Every unacknowledged message once, with the handler thread running it (null when no handler runs
	 * it). A message that is being detached while this runs is found on its thread or in the set.
	 */
	void forEach(BiConsumer<DeliveredMessage, @Nullable Thread> action) {
		List<DeliveredMessage> onThreads = new ArrayList<>();
		for (HandlerSlot slot : this.slots) {
			DeliveredMessage message = slot.current();
			if (message != null && !message.isAcknowledged() && !message.isDetached()) {
				onThreads.add(message);
				action.accept(message, slot.thread());
			}
			for (DeliveredMessage batched : slot.batch()) {
				if (!batched.isAcknowledged() && !batched.isDetached()) {
					onThreads.add(batched);
					action.accept(batched, slot.thread());
				}
			}
		}
		for (DeliveredMessage message : this.detached) {
			if (!message.isAcknowledged() && !onThreads.contains(message)) {
				action.accept(message, null);
			}
		}
	}

	/**
	 * Whether a message may be unacknowledged: a cheap look at the slots and the set that builds nothing
	 * (for the periodic TOUCH check, on the shared timer thread); a message taken just after it is seen
	 * at the next check.
	 */
	boolean mayHaveAny() {
		if (!this.detached.isEmpty()) {
			return true;
		}
		for (HandlerSlot slot : this.slots) {
			if (slot.current() != null || !slot.batch().isEmpty()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Interrupts each thread whose slot still holds one of the messages, looked up now: a handler that
	 * ended meanwhile is not interrupted, nor is its thread, which may run other work by now (a shared
	 * executor's). The look and the interrupt are one step against the handler's end
	 * ({@link HandlerSlot#interruptIfHolding}): an interrupt that reaches a handler as it returns is taken
	 * back from its thread.
	 */
	void interruptHandlersOf(Set<DeliveredMessage> messages) {
		for (HandlerSlot slot : this.slots) {
			slot.interruptIfHolding(messages);
		}
	}

	int size() {
		int[] size = new int[1];
		forEach((message, thread) -> size[0]++);
		return size[0];
	}

	boolean isEmpty() {
		return size() == 0;
	}

}

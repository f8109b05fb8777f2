package io.github.nsqspring.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of message bodies a template has queued or awaits nsqd's answer for, held below a limit:
 * a publish waits for room until its deadline. A publish larger than the limit is let through when
 * nothing else is pending, so that it is not refused for ever.
 */
final class PendingBytes {

	private final long limit;

	private final ReentrantLock lock = new ReentrantLock();

	private final Condition released = this.lock.newCondition();

	private long pending;

	PendingBytes(long limit) {
		this.limit = limit;
	}

	/**
	 * Counts the bytes as pending once there is room for them.
	 * @return whether there was room before the deadline
	 */
	boolean acquire(long bytes, long deadlineNanos) throws InterruptedException {
		this.lock.lockInterruptibly();
		try {
			while (this.pending > 0 && this.pending + bytes > this.limit) {
				long remaining = deadlineNanos - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				this.released.await(remaining, TimeUnit.NANOSECONDS);
			}
			this.pending += bytes;
			return true;
		}
		finally {
			this.lock.unlock();
		}
	}

	void release(long bytes) {
		this.lock.lock();
		try {
			this.pending -= bytes;
			this.released.signalAll();
		}
		finally {
			this.lock.unlock();
		}
	}

	long pending() {
		this.lock.lock();
		try {
			return this.pending;
		}
		finally {
			this.lock.unlock();
		}
	}

	long limit() {
		return this.limit;
	}

}

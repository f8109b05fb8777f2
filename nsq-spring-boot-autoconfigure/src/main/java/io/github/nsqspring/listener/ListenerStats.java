package io.github.nsqspring.listener;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The counters of one listener container, read by the metrics and the actuator endpoint: outcomes of its
 * messages, failed handler calls, and the messages it holds in flight.
 */
public final class ListenerStats {

	private static final IntSupplier NONE_IN_FLIGHT = () -> 0;

	private final LongAdder finished = new LongAdder();

	private final LongAdder requeued = new LongAdder();

	private final LongAdder deadLettered = new LongAdder();

	private final LongAdder requeuedOnShutdown = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private volatile IntSupplier inFlight = NONE_IN_FLIGHT;

	private volatile int backoffLevel;

	private volatile long backoffWindowMillis;

	void outcome(MessageOutcome outcome) {
		switch (outcome) {
			case FINISHED -> this.finished.increment();
			case REQUEUED -> this.requeued.increment();
			case DEAD_LETTERED -> this.deadLettered.increment();
			case REQUEUED_ON_SHUTDOWN -> this.requeuedOnShutdown.increment();
		}
	}

	void handlerFailed() {
		this.failed.increment();
	}

	/** Counts the messages of a running container; null when it stops. */
	void inFlightFrom(@Nullable IntSupplier source) {
		this.inFlight = (source != null) ? source : NONE_IN_FLIGHT;
	}

	/** Flow backoff: the level and the length of its current or last window (0 and 0 when not backing off). */
	void backoff(int level, long windowMillis) {
		this.backoffWindowMillis = windowMillis;
		this.backoffLevel = level;
	}

	/** Flow backoff level: 0 when the container takes messages at its full RDY count. */
	public int getBackoffLevel() {
		return this.backoffLevel;
	}

	/** Length in milliseconds of the current (or last) flow backoff window; 0 at level 0. */
	public long getBackoffWindowMillis() {
		return this.backoffWindowMillis;
	}

	/** Messages delivered and not yet finished or requeued: queued for a handler, running, or awaiting a manual ack. */
	public int getInFlight() {
		return this.inFlight.getAsInt();
	}

	public long getFinished() {
		return this.finished.sum();
	}

	public long getRequeued() {
		return this.requeued.sum();
	}

	public long getDeadLettered() {
		return this.deadLettered.sum();
	}

	public long getRequeuedOnShutdown() {
		return this.requeuedOnShutdown.sum();
	}

	/** Handler invocations that threw. */
	public long getFailed() {
		return this.failed.sum();
	}

}

package io.github.nsqspring.listener;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A handler thread of one container's {@link HandlerPool}. It holds the message it is handling, so
 * that tracking a message from delivery to its outcome writes to no shared structure.
 */
final class HandlerThread extends ForkJoinWorkerThread {

	private final Consumer<HandlerThread> terminated;

	private volatile @Nullable DeliveredMessage current;

	HandlerThread(ForkJoinPool pool, Consumer<HandlerThread> terminated) {
		super(pool);
		this.terminated = terminated;
	}

	/** The message whose handler runs on this thread, or null. */
	@Nullable DeliveredMessage current() {
		return this.current;
	}

	/** Holds a message whose handler starts; returns the one held before (non-null only when nested). */
	@Nullable DeliveredMessage handle(DeliveredMessage message) {
		DeliveredMessage enclosing = this.current;
		this.current = message;
		return enclosing;
	}

	/** Holds again the message whose handler was running before (null when none was). */
	void handled(@Nullable DeliveredMessage enclosing) {
		this.current = enclosing;
	}

	@Override
	protected void onTermination(Throwable exception) {
		this.terminated.accept(this);
		super.onTermination(exception);
	}

}

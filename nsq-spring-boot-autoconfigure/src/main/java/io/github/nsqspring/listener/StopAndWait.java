package io.github.nsqspring.listener;

import java.util.concurrent.CountDownLatch;

import org.springframework.context.SmartLifecycle;

/** The synchronous {@code stop()} of a lifecycle whose {@code stop(Runnable)} drains on other threads. */
final class StopAndWait {

	private StopAndWait() {
	}

	/** Calls {@code stop(callback)} and returns when the callback has run (or the thread is interrupted). */
	static void stop(SmartLifecycle lifecycle) {
		CountDownLatch stopped = new CountDownLatch(1);
		lifecycle.stop(stopped::countDown);
		try {
			stopped.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}

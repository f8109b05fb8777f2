package io.github.nsqspring.fault;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.nsqspring.core.NsqOperations;

/**
 * Publishes unique bodies ({@code prefix-n}) at a steady rate with {@code sendAsync}, on a thread of its
 * own, and records in the {@link Journal} every one nsqd acknowledged; failures are counted, not retried.
 */
final class Load implements AutoCloseable {

	private final NsqOperations template;

	private final String topic;

	private final String prefix;

	private final int perSecond;

	private final Journal journal;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final Set<CompletableFuture<Void>> outstanding = ConcurrentHashMap.newKeySet();

	private final Thread thread;

	private volatile boolean running = true;

	Load(NsqOperations template, String topic, String prefix, int perSecond, Journal journal) {
		this.template = template;
		this.topic = topic;
		this.prefix = prefix;
		this.perSecond = perSecond;
		this.journal = journal;
		this.thread = new Thread(this::run, "fault-load-" + prefix);
		this.thread.start();
	}

	private void run() {
		long start = System.nanoTime();
		long n = 0;
		while (this.running) {
			long due = start + n * TimeUnit.SECONDS.toNanos(1) / this.perSecond;
			long wait = due - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
				continue;
			}
			String body = this.prefix + "-" + n++;
			this.sent.incrementAndGet();
			CompletableFuture<Void> future = this.template.sendAsync(this.topic, body);
			this.outstanding.add(future);
			future.whenComplete((ignored, failure) -> {
				if (failure == null) {
					this.journal.acknowledged(body);
				}
				else {
					this.failed.incrementAndGet();
				}
				this.outstanding.remove(future);
			});
		}
	}

	long sent() {
		return this.sent.get();
	}

	long failed() {
		return this.failed.get();
	}

	/** Stops publishing and waits until every publish was answered or failed. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
		CompletableFuture.allOf(this.outstanding.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null).join();
	}

}

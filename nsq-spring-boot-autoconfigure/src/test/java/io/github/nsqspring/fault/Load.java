package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
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

	private final List<Journal> journals;

	private final AtomicLong sent = new AtomicLong();

	private final AtomicLong failed = new AtomicLong();

	private final AtomicLong slowestFailureNanos = new AtomicLong();

	private final Set<String> failureMessages = ConcurrentHashMap.newKeySet();

	private final Set<CompletableFuture<Void>> outstanding = ConcurrentHashMap.newKeySet();

	private final Thread thread;

	private volatile boolean running = true;

	/** Starts publishing; every acknowledged body is recorded in each journal (one per consuming channel). */
	Load(NsqOperations template, String topic, String prefix, int perSecond, Journal... journals) {
		this.template = template;
		this.topic = topic;
		this.prefix = prefix;
		this.perSecond = perSecond;
		this.journals = List.of(journals);
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
			long sentAt = System.nanoTime();
			CompletableFuture<Void> future = this.template.sendAsync(this.topic, body);
			this.outstanding.add(future);
			future.whenComplete((ignored, failure) -> {
				if (failure == null) {
					this.journals.forEach((journal) -> journal.acknowledged(body));
				}
				else {
					this.failed.incrementAndGet();
					this.slowestFailureNanos.accumulateAndGet(System.nanoTime() - sentAt, Math::max);
					if (this.failureMessages.size() < 20) {
						this.failureMessages.add(failure.getClass().getSimpleName() + ": " + failure.getMessage());
					}
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

	/** Longest time from a {@code sendAsync} call to its failure. */
	Duration slowestFailure() {
		return Duration.ofNanos(this.slowestFailureNanos.get());
	}

	/** Up to 20 distinct failures, as "ExceptionClass: message". */
	Set<String> failureMessages() {
		return Set.copyOf(this.failureMessages);
	}

	/** Stops publishing and waits until every publish was answered or failed. */
	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.join();
		CompletableFuture.allOf(this.outstanding.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> null).join();
	}

}

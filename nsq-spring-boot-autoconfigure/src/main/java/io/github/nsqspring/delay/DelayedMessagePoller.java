package io.github.nsqspring.delay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqTemplate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Publishes delayed messages when they are due. One thread claims due entries from the
 * {@link RedisDelayedMessageStore} (at most the batch size at once, each reserved for the lease),
 * publishes them with {@link NsqOperations} (one MPUB per topic and chunk when several are due), and
 * deletes them only once nsqd acknowledged them. Entries whose publish failed go back to the due set at
 * once and are retried after a back-off; entries of an instance that died after claiming are claimed
 * again when their lease ends. So every entry is published at least once, and exactly once unless a
 * publish outlives its lease.
 *
 * <p>As a {@link SmartLifecycle} it runs in phase {@link #PHASE}, between the template
 * ({@link NsqTemplate#PHASE}, {@code Integer.MAX_VALUE - 200}) and the listener registry
 * ({@code Integer.MAX_VALUE - 100}). Spring starts phases in ascending and stops them in descending
 * order, so the poller starts after the template and stops before it: a claim in progress finishes its
 * publish while the template still accepts it. The listeners stop first, and a listener that schedules
 * a delayed message while it drains still finds the store. Spring Data Redis connection factories
 * (phase 0) start before the poller and stop after it.
 */
public class DelayedMessagePoller implements SmartLifecycle {

	/** Between {@link NsqTemplate#PHASE} and the listener registry's {@code Integer.MAX_VALUE - 100}. */
	public static final int PHASE = NsqTemplate.PHASE + 50;

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

	private static final Log logger = LogFactory.getLog(DelayedMessagePoller.class);

	private final RedisDelayedMessageStore store;

	private final DelayedMessagePublisher publisher;

	private final PollerSettings settings;

	private final Clock clock;

	private volatile boolean running;

	private @Nullable Thread thread;

	private Duration backoff = Duration.ZERO;

	/**
	 * @param store where the messages wait
	 * @param operations publishes them
	 * @param settings how to poll
	 * @param maxBatchBytes largest MPUB body nsqd accepts ({@code --max-body-size})
	 * @param observers told about each published message
	 * @param clock the clock due times are compared with
	 */
	public DelayedMessagePoller(RedisDelayedMessageStore store, NsqOperations operations, PollerSettings settings,
			long maxBatchBytes, List<DelayedMessageObserver> observers, Clock clock) {
		this.store = store;
		this.publisher = new DelayedMessagePublisher(store, operations, maxBatchBytes, settings.lease(), observers, clock);
		this.settings = settings;
		this.clock = clock;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		this.thread = new Thread(this::run, "nsq-delay-poller");
		// a JVM that exits without closing the context loses nothing: claimed entries return after the lease
		this.thread.setDaemon(true);
		this.thread.start();
	}

	/**
	 * Lets the poll in progress finish its publishes and acknowledgements, then ends the thread. Waits at
	 * most the lease (a Redis that does not answer); what the thread still holds then is claimed again
	 * after the lease.
	 */
	@Override
	public synchronized void stop() {
		Thread poller = this.thread;
		if (!this.running || poller == null) {
			return;
		}
		this.running = false;
		LockSupport.unpark(poller);
		try {
			poller.join(this.settings.lease().toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (poller.isAlive()) {
			logger.warn("Delayed message poller did not finish its poll within the lease (" + this.settings.lease()
					+ "); its claimed messages are published again after the lease");
		}
		this.thread = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private void run() {
		while (this.running && !Thread.currentThread().isInterrupted()) {
			Duration pause;
			try {
				pause = poll();
			}
			catch (RuntimeException ex) {
				// e.g. a failing observer: the thread must survive, or no delayed message would go out
				logger.error("Delayed message poll failed", ex);
				pause = failed();
			}
			pause(pause);
		}
	}

	/** Claims and publishes one batch; returns how long to wait before the next poll. */
	private Duration poll() {
		Instant now = this.clock.instant();
		RedisDelayedMessageStore.Claim claim;
		try {
			claim = this.store.claim(now, now.plus(this.settings.lease()), this.settings.batchSize());
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot claim due delayed messages from Redis: " + ex.getMessage());
			return failed();
		}
		if (!claim.messages().isEmpty() && !this.publisher.publish(claim.messages())) {
			return failed();
		}
		this.backoff = Duration.ZERO;
		if (claim.messages().size() == this.settings.batchSize()) {
			return Duration.ZERO;
		}
		return untilNextDue(claim.nextDue());
	}

	private Duration untilNextDue(@Nullable Instant nextDue) {
		if (nextDue == null) {
			return this.settings.pollInterval();
		}
		Duration untilDue = Duration.between(this.clock.instant(), nextDue);
		return (untilDue.compareTo(this.settings.pollInterval()) < 0) ? untilDue : this.settings.pollInterval();
	}

	private Duration failed() {
		Duration doubled = this.backoff.isZero() ? this.settings.pollInterval() : this.backoff.multipliedBy(2);
		this.backoff = (doubled.compareTo(MAX_BACKOFF) < 0) ? doubled : MAX_BACKOFF;
		return this.backoff;
	}

	private void pause(Duration duration) {
		long deadline = System.nanoTime() + duration.toNanos();
		for (long left = duration.toNanos(); left > 0 && this.running; left = deadline - System.nanoTime()) {
			LockSupport.parkNanos(this, left);
		}
	}

	/**
	 * How the poller works.
	 *
	 * @param pollInterval longest pause between two polls
	 * @param batchSize most entries claimed at once
	 * @param lease how long claimed entries are reserved for this poller
	 */
	public record PollerSettings(Duration pollInterval, int batchSize, Duration lease) {

	}

}

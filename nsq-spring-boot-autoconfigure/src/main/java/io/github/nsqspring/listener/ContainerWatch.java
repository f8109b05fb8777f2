package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Watches one run of a container for its idle and connection events, every {@link #TICK} (or a tenth of
 * the idle-event interval when shorter), on the {@link WatchScheduler}'s one thread for all containers:
 * <ul>
 * <li>idle: no message for the idle-event interval since the start or the last message, and again each
 * interval while none comes;</li>
 * <li>connection lost: a connection to an nsqd that the run had (nsqd accepted its subscription) is gone
 * and not back within the {@linkplain #reconnectGrace reconnect grace};</li>
 * <li>connection restored: a connection to an nsqd reported lost is open again.</li>
 * </ul>
 */
final class ContainerWatch implements Runnable {

	/** How often the connections are compared. */
	static final Duration TICK = Duration.ofMillis(250);

	private static final Duration MIN_TICK = Duration.ofMillis(10);

	/** nsq-j checks the connections of a direct subscriber once a second. */
	private static final Duration DIRECT_CHECK_PERIOD = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private final NsqMessageListenerContainer container;

	private final ContainerRun run;

	private final ContainerEventSender sender;

	private final BooleanSupplier paused;

	private final @Nullable Duration idleInterval;

	private final long graceNanos;

	private final AtomicBoolean cancelled = new AtomicBoolean();

	private @Nullable ScheduledFuture<?> task;

	private long lastIdleEventNanos;

	/** The connections at the last check. */
	private Set<String> connected;

	/** nsqd whose connection is gone, since when, until it is back or reported lost. */
	private final Map<String, Long> missing = new HashMap<>();

	/** nsqd reported lost, since when their connection was gone. */
	private final Map<String, Long> lost = new HashMap<>();

	ContainerWatch(NsqMessageListenerContainer container, ContainerRun run, ContainerEventSender sender, BooleanSupplier paused) {
		this.container = container;
		this.run = run;
		this.sender = sender;
		this.paused = paused;
		this.idleInterval = container.getContainerProperties().getIdleEventInterval();
		this.graceNanos = reconnectGrace(container.getContainerProperties()).toNanos();
		this.lastIdleEventNanos = System.nanoTime();
		this.connected = run.connectedNsqd();
	}

	/**
	 * How long a lost connection may take to come back before it is reported lost: one reconnect attempt.
	 * Direct connections: nsq-j's check period (1 s) plus {@code reconnect-delay}; through nsqlookupd, whose
	 * nsqd the container looks up again only at its next lookup: {@code lookupd-poll-interval} plus 1 s.
	 */
	static Duration reconnectGrace(ContainerProperties properties) {
		Duration attempt = properties.usesLookupd() ? properties.getLookupdPollInterval()
				: min(properties.getReconnectDelay(), properties.getReconnectMaxDelay());
		return attempt.plus(DIRECT_CHECK_PERIOD);
	}

	private static Duration min(Duration first, Duration second) {
		return (first.compareTo(second) <= 0) ? first : second;
	}

	/** Starts watching. */
	void start() {
		Duration tick = TICK;
		if (this.idleInterval != null) {
			Duration tenth = this.idleInterval.dividedBy(10);
			tick = (tenth.compareTo(TICK) < 0) ? ((tenth.compareTo(MIN_TICK) > 0) ? tenth : MIN_TICK) : TICK;
		}
		this.task = WatchScheduler.schedule(this, tick.toNanos());
	}

	/** Stops watching, once; a check under way finishes. */
	void cancel() {
		ScheduledFuture<?> scheduled = this.task;
		if (scheduled != null && this.cancelled.compareAndSet(false, true)) {
			WatchScheduler.cancel(scheduled);
		}
	}

	@Override
	public void run() {
		if (this.cancelled.get()) {
			return;
		}
		try {
			long now = System.nanoTime();
			checkIdle(now);
			checkConnections(now);
		}
		catch (RuntimeException ex) {
			logger.warn("Watching listener '" + this.container.getName() + "' failed: " + ex, ex);
		}
	}

	private void checkIdle(long now) {
		if (this.idleInterval == null) {
			return;
		}
		long intervalNanos = this.idleInterval.toNanos();
		long idleNanos = now - this.run.lastDeliveryNanos();
		if (idleNanos >= intervalNanos && now - this.lastIdleEventNanos >= intervalNanos) {
			this.lastIdleEventNanos = now;
			boolean paused = this.paused.getAsBoolean();
			this.sender.send("idle", (events) -> events.idle(this.container, Duration.ofNanos(idleNanos), paused));
		}
	}

	private void checkConnections(long now) {
		Set<String> current = this.run.connectedNsqd();
		for (String address : current) {
			this.missing.remove(address);
			Long lostSince = this.lost.remove(address);
			if (lostSince != null) {
				Duration downtime = Duration.ofNanos(now - lostSince);
				this.sender.send("connection restored", (events) -> events.connectionRestored(this.container, address, downtime));
			}
		}
		for (String address : this.connected) {
			if (!current.contains(address)) {
				this.missing.putIfAbsent(address, now);
			}
		}
		this.connected = current;
		for (Iterator<Map.Entry<String, Long>> it = this.missing.entrySet().iterator(); it.hasNext();) {
			Map.Entry<String, Long> entry = it.next();
			long since = entry.getValue();
			if (now - since >= this.graceNanos) {
				it.remove();
				this.lost.put(entry.getKey(), since);
				Duration downtime = Duration.ofNanos(now - since);
				this.sender.send("connection lost", (events) -> events.connectionLost(this.container, entry.getKey(), downtime));
			}
		}
	}

}

package io.github.nsqspring.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The producer connections of one {@link NsqTemplate}: a fixed number of slots, each opening its
 * connection lazily and again after it broke. A slot connects to its preferred nsqd (the first address,
 * or with more than two addresses one of them in turn) and otherwise to the next address in the list; a
 * connection on a failover nsqd is drained and replaced after the failback interval. A slot that cannot
 * connect waits a {@link ReconnectBackoff} before it tries again; meanwhile its publishes go to another
 * slot's open connection when there is one. A watchdog thread closes connections whose requests are
 * overdue.
 */
final class NsqProducerPool {

	private static final Log logger = LogFactory.getLog(NsqProducerPool.class);

	private final NsqProducerSettings settings;

	private final NsqSecurity security;

	private final List<NsqAddress> addresses;

	private final List<Slot> slots = new ArrayList<>();

	private final AtomicInteger nextSlot = new AtomicInteger();

	private final Set<NsqProducerConnection> retired = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService watchdog;

	NsqProducerPool(NsqProducerSettings settings, NsqSecurity security) {
		this.settings = settings;
		this.security = security;
		this.watchdog = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "nsq-producer-watchdog-" + String.join(",", settings.nsqdAddresses()));
			thread.setDaemon(true);
			return thread;
		});
		this.addresses = settings.nsqdAddresses().stream().map(NsqAddress::parse).toList();
		int preferredAddresses = (this.addresses.size() > 2) ? this.addresses.size() : 1;
		for (int i = 0; i < settings.connections() * preferredAddresses; i++) {
			this.slots.add(new Slot(i % preferredAddresses));
		}
		long period = watchdogPeriod(settings.timeout()).toNanos();
		this.watchdog.scheduleAtFixedRate(this::closeOverdue, period, period, TimeUnit.NANOSECONDS);
	}

	private static Duration watchdogPeriod(Duration timeout) {
		Duration period = timeout.dividedBy(20);
		return (period.compareTo(Duration.ofMillis(5)) < 0) ? Duration.ofMillis(5)
				: (period.compareTo(Duration.ofMillis(100)) > 0) ? Duration.ofMillis(100) : period;
	}

	/**
	 * Queues the command on the next slot's connection, opening one if needed.
	 * @param senderWaits whether the sender waits for the answer (see {@link NsqProducerConnection#enqueue})
	 * @throws NsqPublishException when no nsqd could be connected before the deadline
	 */
	PublishRequest publish(NsqCommand command, long deadlineNanos, boolean senderWaits) {
		Slot slot = this.slots.get(Math.floorMod(this.nextSlot.getAndIncrement(), this.slots.size()));
		PublishRequest request = new PublishRequest(command, deadlineNanos);
		slot.connection(command.topic(), deadlineNanos).enqueue(request, senderWaits);
		return request;
	}

	private @Nullable NsqProducerConnection usableConnectionOfAnySlot() {
		for (Slot slot : this.slots) {
			NsqProducerConnection connection = slot.usableConnection();
			if (connection != null) {
				return connection;
			}
		}
		return null;
	}

	/** Waits until every queued request is answered or the timeout passed, then closes all connections. */
	void close() {
		long deadline = System.nanoTime() + this.settings.timeout().toNanos();
		List<NsqProducerConnection> connections = new ArrayList<>(this.retired);
		for (Slot slot : this.slots) {
			if (slot.connection != null) {
				connections.add(slot.connection);
			}
		}
		connections.forEach(NsqProducerConnection::drain);
		for (NsqProducerConnection connection : connections) {
			try {
				connection.drain().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// closed below; what is unanswered fails
			}
			connection.close("the template was stopped before nsqd answered", null);
		}
		this.watchdog.shutdownNow();
		try {
			// its task is short and never blocks: the thread is gone when the template's stop returns
			this.watchdog.awaitTermination(this.settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void closeOverdue() {
		try {
			long now = System.nanoTime();
			for (Slot slot : this.slots) {
				NsqProducerConnection connection = slot.connection;
				if (connection != null) {
					connection.closeIfOverdue(now);
				}
			}
			this.retired.forEach((connection) -> connection.closeIfOverdue(now));
			this.retired.removeIf(NsqProducerConnection::isClosed);
		}
		catch (RuntimeException ex) {
			// a periodic task that throws is never run again
			logger.error("Checking NSQ producer connections for overdue publishes failed", ex);
		}
	}

	private void retire(NsqProducerConnection connection) {
		this.retired.add(connection);
		connection.drain().thenRun(() -> connection.close("failing back to the preferred nsqd", null));
	}

	private NsqProducerConnection connect(int preferred, String topic, long deadlineNanos) {
		List<String> failures = new ArrayList<>();
		IOException lastFailure = null;
		int count = this.addresses.size();
		for (int i = 0; i < count; i++) {
			NsqAddress address = this.addresses.get((preferred + i) % count);
			long remaining = deadlineNanos - System.nanoTime();
			if (remaining <= 0) {
				break;
			}
			// share the time left fairly, so that an unreachable primary leaves time for the failover
			int timeoutMillis = (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining / (count - i)));
			try {
				return NsqProducerConnection.open(address, i == 0, timeoutMillis, this.settings, this.security);
			}
			catch (IOException ex) {
				failures.add(address + " (" + ex.getMessage() + ")");
				lastFailure = ex;
			}
		}
		throw new NsqPublishException(topic, this.settings.nsqdAddresses().toString(),
				failures.isEmpty() ? "no connection within " + this.settings.timeout()
						: "cannot connect to " + String.join(", ", failures),
				lastFailure);
	}

	/** One connection place of the pool. */
	private final class Slot {

		private final int preferredAddress;

		private final ReentrantLock lock = new ReentrantLock();

		private volatile @Nullable NsqProducerConnection connection;

		/** Connection attempts that failed in a row; written under the lock, as the two fields below. */
		private volatile int failedAttempts;

		private volatile long nextAttemptNanos;

		private @Nullable String lastFailure;

		Slot(int preferredAddress) {
			this.preferredAddress = preferredAddress;
		}

		/** The open connection of this slot, unless it is due to fail back to its preferred nsqd. */
		@Nullable NsqProducerConnection usableConnection() {
			NsqProducerConnection current = this.connection;
			return (current != null && current.isOpen() && !current.isDueForFailback(System.nanoTime())) ? current : null;
		}

		/** Whether the last connection attempt failed and the next one is not due yet. */
		private boolean isBackingOff() {
			return this.nextAttemptNanos - System.nanoTime() > 0 && this.failedAttempts > 0;
		}

		/**
		 * The slot's connection, opened when needed. While the slot is being connected on another thread or
		 * waits out its reconnect backoff, another slot's open connection when there is one: a slot that
		 * cannot connect does not fail (or hold up) publishes that a healthy connection can carry. A slot
		 * whose next attempt is due makes it.
		 */
		NsqProducerConnection connection(String topic, long deadlineNanos) {
			NsqProducerConnection usable = usableConnection();
			if (usable != null) {
				return usable;
			}
			NsqProducerConnection other = (this.lock.isLocked() || isBackingOff()) ? usableConnectionOfAnySlot() : null;
			if (other != null) {
				return other;
			}
			try {
				if (!this.lock.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					throw new NsqPublishException(topic, NsqProducerPool.this.settings.nsqdAddresses().toString(),
							"no connection within " + NsqProducerPool.this.settings.timeout(), null);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new NsqPublishException(topic, NsqProducerPool.this.settings.nsqdAddresses().toString(),
						"interrupted while waiting for a connection", ex);
			}
			try {
				usable = usableConnection();
				if (usable != null) {
					return usable;
				}
				NsqProducerConnection current = this.connection;
				if (current != null && current.isOpen()) {
					retire(current);
				}
				// an attempt that failed while this publish waited for the lock set a backoff
				other = isBackingOff() ? usableConnectionOfAnySlot() : null;
				if (other != null) {
					return other;
				}
				awaitNextAttempt(topic, deadlineNanos);
				try {
					this.connection = connect(this.preferredAddress, topic, deadlineNanos);
				}
				catch (NsqPublishException ex) {
					this.failedAttempts++;
					this.nextAttemptNanos = System.nanoTime() + ReconnectBackoff.delayNanos(this.failedAttempts);
					this.lastFailure = ex.getMessage();
					throw ex;
				}
				this.failedAttempts = 0;
				return this.connection;
			}
			finally {
				this.lock.unlock();
			}
		}

		/**
		 * After a failed attempt the next one waits for the backoff: a publish whose deadline comes first
		 * fails at once with the last failure, so that publishing against an unreachable nsqd does not make
		 * a connection attempt per publish.
		 */
		private void awaitNextAttempt(String topic, long deadlineNanos) {
			long wait = this.nextAttemptNanos - System.nanoTime();
			if (this.failedAttempts == 0 || wait <= 0) {
				return;
			}
			if (deadlineNanos - System.nanoTime() <= wait) {
				throw new NsqPublishException(topic, NsqProducerPool.this.settings.nsqdAddresses().toString(),
						this.lastFailure + "; next connection attempt in " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms",
						null);
			}
			try {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new NsqPublishException(topic, NsqProducerPool.this.settings.nsqdAddresses().toString(),
						"interrupted while waiting for the next connection attempt", ex);
			}
		}

	}

}

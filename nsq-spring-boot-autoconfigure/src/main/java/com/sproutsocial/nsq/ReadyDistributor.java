package com.sproutsocial.nsq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * Hands out one container's RDY over its connections, in place of nsq-j's {@code Subscription} (which then
 * holds 0). With a budget (the container's max-in-flight, or 0 while paused, draining or backed off) at
 * least the number of connections it is nsq-j's even split. With fewer it is backlog-aware: RDY 1 goes to
 * the connections whose nsqd has messages for the channel, known from what the connection sees (a message
 * arrived, or RDY held {@value #EMPTY_MILLIS} ms with nothing arriving: empty) and from nsqd's
 * {@code /stats} ({@link ChannelDepths}); an nsqd whose stats are unknown takes its turn as in a rotation.
 * Every {@value #PERIOD_MILLIS} ms a connection with messages that has waited that long takes the RDY
 * that has been held longest. An RDY moves by RDY 0 to the donor first; the receiver gets RDY 1 once the
 * donor's messages in flight are done, so RDY plus messages in flight never exceed the budget.
 */
@NullMarked
final class ReadyDistributor {

	/** How often a low-flight distribution is reconsidered, and the longest a connection with messages waits. */
	static final int PERIOD_MILLIS = 250;

	/** RDY held this long with nothing arriving and nothing in flight: nsqd has nothing for the channel. */
	static final int EMPTY_MILLIS = 100;

	private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);

	private static final long EMPTY_NANOS = TimeUnit.MILLISECONDS.toNanos(EMPTY_MILLIS);

	/** The connection whose message nsq-j's reader thread delivers (set by its {@link FrameGuard}). */
	private static final ThreadLocal<@Nullable Lane> delivering = new ThreadLocal<>();

	private final Map<SubConnection, Lane> lanes = new ConcurrentHashMap<>();

	private final ChannelDepths depths;

	private final Object monitor = new Object();

	private volatile int budget;

	/** A low-flight distribution left a connection with messages waiting for a message in flight to end. */
	private volatile boolean grantPending;

	ReadyDistributor(ChannelDepths depths) {
		this.depths = depths;
	}

	/** The lane of a connection, made on first use. */
	Lane lane(SubConnection connection) {
		return this.lanes.computeIfAbsent(connection, Lane::new);
	}

	void remove(SubConnection connection) {
		this.lanes.remove(connection);
	}

	/** Sets the budget; 0 stops granting at once (RDY 0 itself is sent by the caller). */
	void setBudget(int budget) {
		this.budget = budget;
	}

	int budget() {
		return this.budget;
	}

	/** Called on nsq-j's reader thread before it hands over a message: the message counts in flight on its connection. */
	static @Nullable Lane arrived() {
		Lane lane = delivering.get();
		if (lane != null) {
			lane.inFlight.incrementAndGet();
			lane.lastMessageNanos = System.nanoTime();
		}
		return lane;
	}

	/** A message of the lane is about to be done, still in flight: the lane may give up its RDY before its FIN. */
	void ending(Lane lane, Collection<SubConnection> subscribed) {
		if (this.grantPending) {
			distribute(subscribed);
		}
	}

	/** A message of the lane is done (FIN or REQ sent): its place may go to a connection waiting for one. */
	void done(Lane lane, Collection<SubConnection> subscribed) {
		lane.inFlight.decrementAndGet();
		if (this.grantPending) {
			distribute(subscribed);
		}
	}

	/** Sets each subscribed connection's RDY by the budget, as described on the class. */
	void distribute(Collection<SubConnection> subscribed) {
		synchronized (this.monitor) {
			int total = this.budget;
			List<Lane> open = new ArrayList<>(subscribed.size());
			for (SubConnection connection : subscribed) {
				open.add(lane(connection));
			}
			open.sort(Comparator.comparing((lane) -> lane.address));
			this.grantPending = false;
			if (total <= 0 || open.isEmpty()) {
				return;
			}
			restore(open, total);
			if (total >= open.size()) {
				evenSplit(open, total);
			}
			else {
				lowFlight(open, total, System.nanoTime());
			}
		}
	}

	/**
	 * Sends each connection its RDY again where nsq-j's subscription set 0 (at each lookup, or a pause's RDY 0),
	 * after taking back what a smaller budget no longer covers. A connection keeps its place while its RDY is 0
	 * for nsq-j only: a message nsqd sent before that RDY 0 arrives within it.
	 */
	private void restore(List<Lane> open, int total) {
		int granted = 0;
		for (Lane lane : open) {
			granted += lane.granted;
		}
		for (int i = open.size() - 1; i >= 0 && granted > total; i--) {
			Lane lane = open.get(i);
			int taken = Math.min(lane.granted, granted - total);
			lane.setReady(lane.granted - taken, this);
			granted -= taken;
		}
		for (Lane lane : open) {
			if (lane.connection.getMaxInFlight() != lane.granted) {
				lane.setReady(lane.granted, this);
			}
		}
	}

	/** nsq-j's even split: decreases first, so the sum never exceeds the budget. */
	private void evenSplit(List<Lane> open, int total) {
		int[] targets = new int[open.size()];
		for (int i = 0; i < targets.length; i++) {
			targets[i] = total / targets.length + ((i < total % targets.length) ? 1 : 0);
			targets[i] = Math.min(targets[i], open.get(i).connection.getMaxRdyCount());
		}
		for (int i = 0; i < targets.length; i++) {
			if (targets[i] < open.get(i).ready()) {
				open.get(i).setReady(targets[i], this);
			}
		}
		for (int i = 0; i < targets.length; i++) {
			if (targets[i] > open.get(i).ready()) {
				open.get(i).setReady(targets[i], this);
			}
		}
	}

	private void lowFlight(List<Lane> open, int total, long now) {
		List<Lane> waiting = new ArrayList<>();
		List<Lane> holders = new ArrayList<>();
		for (Lane lane : open) {
			if (lane.ready() > 1) {
				// left from an even split: one each from here
				lane.setReady(1, this);
			}
			boolean holds = lane.ready() > 0;
			lane.observe(holds, now);
			if (holds) {
				holders.add(lane);
			}
			else if (lane.wants(this.depths.depth(lane.address), now)) {
				if (lane.waitingSinceNanos == 0) {
					lane.waitingSinceNanos = now;
				}
				waiting.add(lane);
			}
			else {
				lane.waitingSinceNanos = 0;
			}
		}
		if (waiting.isEmpty()) {
			return;
		}
		// known messages before unknown nsqd, each group the longest waiting first
		waiting.sort(Comparator.comparing((Lane lane) -> lane.knownToHaveMessages ? 0 : 1)
			.thenComparingLong((lane) -> lane.waitingSinceNanos));
		int free = total;
		int inTransit = 0;
		for (Lane lane : open) {
			free -= Math.max(lane.ready(), lane.inFlight.get());
			inTransit += (lane.ready() == 0) ? lane.inFlight.get() : 0;
		}
		// holders that found nothing make way for a waiting connection that no free place or ending message
		// will serve; so does the oldest holder once such a connection has waited a period
		holders.sort(Comparator.comparingLong((Lane lane) -> lane.readySinceNanos));
		int served = Math.max(free, 0) + inTransit;
		for (Lane holder : holders) {
			if (served >= waiting.size()) {
				break;
			}
			// a busy holder gets no message after its RDY 0 (its FIN follows that); an idle one that is not empty
			// may have one on the way, and is left alone
			boolean busy = holder.inFlight.get() > 0;
			if (holder.empty || (busy && now - waiting.get(served).waitingSinceNanos >= PERIOD_NANOS)) {
				holder.setReady(0, this);
				holder.waitingSinceNanos = holder.empty ? 0 : now;
				free += (holder.inFlight.get() == 0) ? 1 : 0;
				served++;
			}
		}
		int granted = 0;
		while (free > 0 && granted < waiting.size()) {
			Lane lane = waiting.get(granted++);
			lane.setReady(1, this);
			lane.readySinceNanos = now;
			lane.waitingSinceNanos = 0;
			lane.empty = false;
			free--;
		}
		this.grantPending = granted < waiting.size();
	}

	/** One connection as the distributor sees it. */
	static final class Lane {

		final SubConnection connection;

		final String address;

		final AtomicInteger inFlight = new AtomicInteger();

		volatile long lastMessageNanos;

		/** Guarded by the distributor's monitor. */
		int granted;

		long readySinceNanos;

		long waitingSinceNanos;

		/** Held RDY for {@link #EMPTY_MILLIS} with nothing arriving, and no answer of nsqd since says otherwise. */
		boolean empty;

		long emptySinceNanos;

		boolean knownToHaveMessages;

		Lane(SubConnection connection) {
			this.connection = connection;
			HostAndPort host = connection.getHost();
			this.address = host.getHost() + ":" + host.getPort();
		}

		/** Marks messages arriving on this thread as this connection's: called on its reader thread. */
		void reading() {
			delivering.set(this);
		}

		/** The RDY the distributor gave the connection. */
		int ready() {
			return this.granted;
		}

		/**
		 * Sends RDY under the connection's lock after checking the budget again, so that a concurrent
		 * RDY 0 on every connection (pause, drain, flow backoff: budget 0 first) is never undone.
		 */
		void setReady(int count, ReadyDistributor distributor) {
			this.granted = count;
			synchronized (this.connection) {
				if (count == 0 || distributor.budget > 0) {
					this.connection.setMaxInFlight(count);
				}
			}
		}

		private void observe(boolean holds, long now) {
			if (this.inFlight.get() > 0 || now - this.lastMessageNanos < EMPTY_NANOS) {
				this.empty = false;
			}
			else if (holds && now - this.readySinceNanos >= EMPTY_NANOS && now - this.lastMessageNanos >= EMPTY_NANOS) {
				if (!this.empty) {
					this.emptySinceNanos = now;
				}
				this.empty = true;
			}
		}

		/** Whether a connection without RDY should get one: it has messages, or nsqd's stats are unknown (rotation). */
		private boolean wants(ChannelDepths.@Nullable Depth depth, long now) {
			if (this.inFlight.get() > 0 || now - this.lastMessageNanos < PERIOD_NANOS) {
				this.knownToHaveMessages = true;
				return true;
			}
			if (depth != null) {
				// an answer read before this connection was found empty may be out of date
				this.knownToHaveMessages = depth.messages() > 0 && (!this.empty || depth.requestedNanos() - this.emptySinceNanos > 0);
				return this.knownToHaveMessages;
			}
			this.knownToHaveMessages = false;
			return true;
		}

	}

}

package com.sproutsocial.nsq;

import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out one container's RDY over its connections, in place of nsq-j's {@code Subscription} (which then
 * holds 0). With a budget (the container's max-in-flight, or 0 while paused, draining or backed off) at
 * least the number of connections it is nsq-j's even split. With fewer it is backlog-aware: RDY 1 goes to
 * the connections whose nsqd has messages for the channel, known from what the connection sees (a message
 * arrived, or RDY held {@value #EMPTY_MILLIS} ms with nothing arriving: empty) and from nsqd's
 * {@code /stats} ({@link ChannelDepths}); an nsqd whose stats are unknown takes its turn as in a rotation.
 * The places go round the connections with messages so that each waits about {@value #PERIOD_MILLIS} ms
 * at most: a holder gives its RDY up once it has held it for its slice (the period x budget / connections
 * waiting), the one held longest first. An RDY moves by RDY 0 to the donor first; the receiver gets RDY 1 once the
 * donor's messages in flight are done, so RDY plus messages in flight never exceed the budget. A donor
 * with a message in flight (nsqd sends it nothing more until its FIN) owes its RDY 0 until that FIN and
 * sends both in one write: sent alone, the RDY 0 waits for nsqd's delayed ACK (nsqd does not answer it)
 * and holds back the FIN behind it (nsq-j's sockets keep Nagle's algorithm on), typically 40 ms on Linux,
 * during which nsqd still counts the message in flight while the receiver already has its RDY. The
 * receiver's RDY 1 then waits {@value #SETTLE_MILLIS} ms more: the donor's commands and the receiver's go
 * over different connections, and nsqd takes each in its own time. nsq-j's RDY 0 at each lookup is such
 * a lone command too: a place given up during a lookup settles until {@value #DELAYED_ACK_MILLIS} ms
 * (Linux's longest delayed ACK) after its end.
 */
@NullMarked
final class ReadyDistributor {

	private static final Logger logger = LoggerFactory.getLogger(ReadyDistributor.class);

	/** How often a low-flight distribution is reconsidered, and the longest a connection with messages waits. */
	static final int PERIOD_MILLIS = 250;

	/** RDY held this long with nothing arriving and nothing in flight: nsqd has nothing for the channel. */
	static final int EMPTY_MILLIS = 100;

	/** How long a place given up stays taken before it goes to another connection. */
	static final int SETTLE_MILLIS = 10;

	/** Linux's longest delayed ACK: a lone command sent this long ago may still hold back what follows it. */
	static final int DELAYED_ACK_MILLIS = 200;

	private static final long DELAYED_ACK_NANOS = TimeUnit.MILLISECONDS.toNanos(DELAYED_ACK_MILLIS);

	private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);

	private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS);

	private static final long EMPTY_NANOS = TimeUnit.MILLISECONDS.toNanos(EMPTY_MILLIS);

	/** The connection whose message nsq-j's reader thread delivers (set by its {@link FrameGuard}). */
	private static final ThreadLocal<@Nullable Lane> delivering = new ThreadLocal<>();

	private final Map<SubConnection, Lane> lanes = new ConcurrentHashMap<>();

	private final ChannelDepths depths;

	private final ObjLongConsumer<Runnable> later;

	private final Supplier<Collection<SubConnection>> subscribed;

	private final AtomicBoolean settlingCheck = new AtomicBoolean();

	private final AtomicBoolean emptyCheck = new AtomicBoolean();

	private final Object monitor = new Object();

	private volatile int budget;

	private volatile boolean lookingUp;

	private volatile long lookupStartNanos;

	private volatile long lookupEndNanos;

	/** A low-flight distribution left a connection with messages waiting for a message in flight to end. */
	private volatile boolean grantPending;

	/**
	 * @param depths the channel's depth on each nsqd
	 * @param later runs a task the given number of milliseconds later (on the client's scheduler)
	 * @param subscribed the subscribed connections when asked, for a distribution made later
	 */
	ReadyDistributor(ChannelDepths depths, ObjLongConsumer<Runnable> later, Supplier<Collection<SubConnection>> subscribed) {
		this.depths = depths;
		this.later = later;
		this.subscribed = subscribed;
		// as if the last lookup ended long ago
		this.lookupStartNanos = System.nanoTime() - DELAYED_ACK_NANOS;
		this.lookupEndNanos = this.lookupStartNanos;
	}

	/** The lane of a connection, made on first use. */
	Lane lane(SubConnection connection) {
		return this.lanes.computeIfAbsent(connection, Lane::new);
	}

	void remove(SubConnection connection) {
		this.lanes.remove(connection);
	}

	/** nsq-j's lookup starts: it ends with RDY 0 on every connection that holds RDY (nsq-j's subscription holds 0). */
	void lookupStarting() {
		this.lookupStartNanos = System.nanoTime();
		this.lookingUp = true;
	}

	/** nsq-j's lookup ended; distribute again at once to undo its RDY 0. */
	void lookupEnded(Collection<SubConnection> subscribed) {
		this.lookupEndNanos = System.nanoTime();
		this.lookingUp = false;
		distribute(subscribed);
	}

	/** Sets the budget; 0 stops granting at once (RDY 0 itself is sent by the caller). */
	void setBudget(int budget) {
		this.budget = budget;
	}

	int budget() {
		return this.budget;
	}

	/**
	 * Whether the periodic distribution has work with this many connections: with fewer RDY than
	 * connections, or a connection waiting for a place. An even split changes only with the budget or the
	 * connections, and each of those distributes at once.
	 */
	boolean isPeriodic(int connections) {
		int budget = this.budget;
		return budget > 0 && (connections > budget || this.grantPending);
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

	/**
	 * Ends a message of the lane with its FIN or REQ ({@code command}). While a connection waits for a place
	 * the lane may first be chosen to give up its RDY, which then goes with the command; once the message
	 * is done its place may go to the waiting connection.
	 */
	void end(Lane lane, Runnable command, Supplier<Collection<SubConnection>> subscribed) {
		if (this.grantPending) {
			distribute(subscribed.get());
		}
		lane.end(command);
		if (this.grantPending) {
			distribute(subscribed.get());
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
			lane.resend(this);
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
		boolean settling = false;
		for (Lane lane : open) {
			boolean settles = lane.settles(now, this);
			settling |= settles;
			free -= Math.max(Math.max(lane.ready(), lane.inFlight.get()), settles ? 1 : 0);
			inTransit += (lane.ready() == 0) ? lane.inFlight.get() : 0;
		}
		// holders that found nothing make way for a waiting connection that no free place or ending message
		// will serve; so does the oldest holder once it has held its slice: the places go round the
		// connections with messages so that each waits about a period at most
		holders.sort(Comparator.comparingLong((Lane lane) -> lane.readySinceNanos));
		long slice = Math.min(PERIOD_NANOS, PERIOD_NANOS * total / waiting.size());
		int served = Math.max(free, 0) + inTransit;
		for (Lane holder : holders) {
			if (served >= waiting.size()) {
				break;
			}
			// a busy holder gets no message after its RDY 0 (its FIN follows that); an idle one that is not empty
			// may have one on the way, and is left alone
			boolean busy = holder.inFlight.get() > 0;
			if (holder.empty || (busy && now - holder.readySinceNanos >= slice)) {
				settling |= holder.yieldReady(now);
				holder.waitingSinceNanos = holder.empty ? 0 : now;
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
		if (this.grantPending && settling) {
			distributeLater(SETTLE_MILLIS, this.settlingCheck);
		}
		if (this.grantPending) {
			long untilEmpty = untilFirstEmpty(holders, now);
			if (untilEmpty != Long.MAX_VALUE) {
				distributeLater(TimeUnit.NANOSECONDS.toMillis(Math.max(0, untilEmpty)) + 1, this.emptyCheck);
			}
		}
	}

	/**
	 * How long until the first idle holder is found empty if nothing arrives (nanoseconds, {@code Long.MAX_VALUE}
	 * for none): its place then goes to a waiting connection at once, not at the next period (no message
	 * ends on an idle connection to trigger it).
	 */
	private static long untilFirstEmpty(List<Lane> holders, long now) {
		long first = Long.MAX_VALUE;
		for (Lane holder : holders) {
			if (!holder.empty && holder.ready() > 0 && holder.inFlight.get() == 0) {
				long lastSign = (holder.lastMessageNanos - holder.readySinceNanos > 0) ? holder.lastMessageNanos
						: holder.readySinceNanos;
				first = Math.min(first, lastSign + EMPTY_NANOS - now);
			}
		}
		return first;
	}

	/** A place that frees up later goes to a waiting connection as soon as it is free; one check of each kind is pending at most. */
	private void distributeLater(long delayMillis, AtomicBoolean pending) {
		if (pending.compareAndSet(false, true)) {
			// the connections when it runs: one may have come or gone meanwhile
			this.later.accept(() -> {
				pending.set(false);
				distribute(this.subscribed.get());
			}, delayMillis);
		}
	}

	/** One connection as the distributor sees it. */
	static final class Lane {

		final SubConnection connection;

		final String address;

		final AtomicInteger inFlight = new AtomicInteger();

		volatile long lastMessageNanos;

		/** Guarded by the distributor's monitor. */
		int granted;

		/** RDY 0 is owed, to go with the FIN or REQ of the message in flight; guarded by the connection's lock. */
		private boolean owesReadyZero;

		/** When the connection last gave up its place (RDY 0 sent, or with the FIN of the message it owed it for). */
		private volatile long releasedNanos;

		private volatile boolean released;

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
			// a reader thread serves one connection: set once (ThreadLocal.set costs more than get)
			if (delivering.get() != this) {
				delivering.set(this);
			}
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
				this.owesReadyZero = false;
				if (count == 0 || distributor.budget > 0) {
					this.connection.setMaxInFlight(count);
				}
			}
		}

		/**
		 * Gives up the connection's RDY: RDY 0 now when nothing is in flight, else owed until the next FIN
		 * or REQ (nsqd sends the connection nothing more before it).
		 * @return whether RDY 0 was sent now: the place settles
		 */
		boolean yieldReady(long now) {
			this.granted = 0;
			synchronized (this.connection) {
				if (this.inFlight.get() > 0) {
					this.owesReadyZero = true;
					return false;
				}
				this.connection.setMaxInFlight(0);
				release(now);
				return true;
			}
		}

		private void release(long now) {
			this.releasedNanos = now;
			this.released = true;
		}

		/** Whether the place this connection gave up is still settling. */
		private boolean settles(long now, ReadyDistributor distributor) {
			if (!this.released) {
				return false;
			}
			boolean sinceLookup = this.releasedNanos - distributor.lookupStartNanos >= 0;
			return now - this.releasedNanos < SETTLE_NANOS || (sinceLookup
					&& (distributor.lookingUp || now - distributor.lookupEndNanos < DELAYED_ACK_NANOS));
		}

		/** Sends the RDY given again where nsq-j set another (its RDY 0 at each lookup); an owed RDY 0 waits for its FIN. */
		void resend(ReadyDistributor distributor) {
			synchronized (this.connection) {
				if (!this.owesReadyZero && this.connection.getMaxInFlight() != this.granted
						&& (this.granted == 0 || distributor.budget > 0)) {
					this.connection.setMaxInFlight(this.granted);
				}
			}
		}

		/**
		 * Runs a message's FIN or REQ, after an owed RDY 0 written without a flush so that both leave in one
		 * write (nsq-j flushes a FIN at once when the RDY is below 3), and counts the message done.
		 */
		private void end(Runnable command) {
			synchronized (this.connection) {
				if (this.owesReadyZero) {
					this.owesReadyZero = false;
					DataOutputStream out = this.connection.out;
					this.connection.out = new DataOutputStream(new HeldFlush(out));
					try {
						this.connection.setMaxInFlight(0);
					}
					finally {
						this.connection.out = out;
					}
					command.run();
					// an abandoned message sends nothing that would flush the RDY 0 (nsq-j counts it flushed)
					flushQuietly();
					release(System.nanoTime());
				}
				else {
					command.run();
				}
				this.inFlight.decrementAndGet();
			}
		}

		private void flushQuietly() {
			try {
				this.connection.flush();
			}
			catch (IOException ex) {
				// the connection is lost: its reader notices and closes it
				logger.debug("Flush failed on {}", this.connection, ex);
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

	/** Passes writes on and holds flushes back. */
	private static final class HeldFlush extends FilterOutputStream {

		HeldFlush(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void flush() {
		}

	}

}

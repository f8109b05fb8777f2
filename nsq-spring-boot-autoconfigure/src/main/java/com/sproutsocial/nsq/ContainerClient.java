package com.sproutsocial.nsq;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import javax.net.ssl.SSLSocketFactory;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.github.nsqspring.core.NsqConsumerSettings;
import io.github.nsqspring.core.NsqConsumerSettings.HostPort;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where nsq-spring-boot reaches into nsq-j 1.2's package-private API, and why:
 * <ul>
 * <li>{@link DirectSubscriber} only works with the static default {@link Client}, and
 * {@code Subscriber.lookupTopic} returns the package-private {@code HostAndPort}; a listener container
 * needs direct nsqd connections on a {@code Client} of its own (own threads, own drain), so
 * {@link #directSubscriber} overrides {@code lookupTopic} here; it also decides when a lost nsqd is tried
 * again.</li>
 * <li>nsq-j 1.2 never sends CLS and hides its connections and their message timeout; the drain protocol
 * needs both, and RDY 0 without waiting for the subscriber's lock, so this {@code Client} keeps a
 * reference to each consumer connection it opens.</li>
 * <li>nsq-j gives each client a scheduler of two threads: here every task it schedules or hands over, and the
 * container's own (TOUCH, heartbeat watch, RDY), runs on a {@link ClientScheduler} whose threads all clients
 * share; nsq-j's scheduler never starts a thread. Its JSON mapper is shared too.</li>
 * <li>With {@code backlog-aware-rdy} a {@link ReadyDistributor} sets each connection's RDY and nsq-j's
 * subscription holds 0: nsq-j gives a max-in-flight below the number of connections to the first
 * connections and rotates one RDY every 10 s, blind to where the messages are. Its rotation task is
 * recognised when scheduled (10 s, 10 s, no jitter) and never runs; its RDY 0 at each lookup (every
 * connection, as it holds 0) is undone by a distribution right after the lookup; the reader thread of a
 * connection tells the distributor which connection a message came from ({@link FrameGuard}), and the
 * message tells it when it is done.</li>
 * <li>nsq-j reads whatever nsqd sends: each connection's input goes through a {@link FrameGuard} (frame
 * sizes, types and unsolicited responses), put in place when nsq-j schedules its heartbeat check at the end
 * of the handshake, and a {@link HeartbeatWatch} closes connections whose nsqd went silent.</li>
 * <li>nsq-j layers TLS without hostname verification and does not check nsqd's AUTH answer: with TLS or an
 * AUTH secret the client gets {@code NsqTls}'s socket factory, and an nsqd it is not connected to is first
 * probed with the same handshake and SUB ({@link NsqConsumerSettings#probeSubscription}); one that refuses is reported once
 * (one ERROR naming the listener, nsqd and nsqd's answer; {@link #refusals()} for health) and handed to
 * nsq-j only once a later probe, at the next lookup or reconnect attempt, passes.</li>
 * </ul>
 * Everything else goes through nsq-j's public API. One client serves one run of one container, with one
 * subscription. nsq-j hands each delivery to the container on its reader thread (the client's executor
 * runs it in place); the container's handler workers take it from there.
 */
@NullMarked
public class ContainerClient extends Client {

	private static final Logger logger = LoggerFactory.getLogger(ContainerClient.class);

	private static final Gson gson = new GsonBuilder().setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).create();

	/** What users should see by default (applications often quiet nsq-j's package): the container's logger. */
	private static final Logger listenerLogger = LoggerFactory.getLogger(NsqConsumerSettings.LOG_CATEGORY);

	private static final int DEFAULT_MSG_TIMEOUT_MILLIS = 60_000;

	private static final int FLUSH_DELAY_MILLIS = 200;

	private static final int MIN_FLUSH_DELAY_MILLIS = 2;

	private static final int TOUCH_CHECK_MILLIS = 250;

	private static final int NEGOTIATION_CHECK_MILLIS = 1000;

	private static final Duration SECURE_PROBE_TIMEOUT = Duration.ofSeconds(5);

	/** nsq-j's heartbeat check starts this long after its interval: its signature in {@link #scheduleAtFixedRate}. */
	private static final int HEARTBEAT_CHECK_DELAY_MILLIS = 2000;

	/** nsq-j's low-flight rotation runs every 10 s, first after 10 s, without jitter: its signature. */
	private static final int LOW_FLIGHT_ROTATION_MILLIS = 10_000;

	private final Set<SubConnection> connections = new CopyOnWriteArraySet<>();

	private final Map<SubConnection, FrameGuard> guards = new ConcurrentHashMap<>();

	/** The connection whose handshake runs on this thread, until its {@link FrameGuard} is in place. */
	private final ThreadLocal<SubConnection> handshaking = new ThreadLocal<>();

	/** The flush check nsq-j scheduled in the constructor of the connection this thread then opens. */
	private final ThreadLocal<FlushCheck> constructing = new ThreadLocal<>();

	/** nsq-j's flush check period: its {@code SubConnection} schedules it with this delay and period. */
	private final int flushCheckMillis;

	private final NsqConsumerSettings properties;

	private final Subscriber subscriber;

	private final Object subscriptionMonitor = new Object();

	/** Orders the backlog-aware distributor's budget changes: a count is read and set under it. */
	private final Object budgetMonitor = new Object();

	private final Set<SubConnection> negotiated = ConcurrentHashMap.newKeySet();

	private volatile boolean negotiationLogged;

	private final Map<String, String> refusals = new ConcurrentHashMap<>();

	private final ExecutorService inPlaceExecutor = new InPlaceExecutor();

	private final ClientScheduler scheduler = new ClientScheduler();

	private final @Nullable SSLSocketFactory socketFactory;

	private final @Nullable ReadyDistributor distributor;

	private final Supplier<Collection<SubConnection>> subscribedConnections = () -> subscribed().keySet();

	private final byte @Nullable [] authSecret;

	/** A client and its subscriber, through nsqlookupd when the properties name any, else directly to nsqd. */
	public ContainerClient(NsqConsumerSettings properties) {
		this(properties, null);
	}

	/**
	 * A client whose RDY is backlog-aware when the properties say so.
	 * @param depths the channel's depth on each nsqd, or null to leave RDY to nsq-j
	 */
	@SuppressWarnings("NullAway") // usesTls() checks tls() for null
	public ContainerClient(NsqConsumerSettings properties, @Nullable ChannelDepths depths) {
		setExecutor(this.inPlaceExecutor);
		this.properties = properties;
		this.distributor = (depths != null && properties.isBacklogAwareRdy())
				? new ReadyDistributor(depths, (task, millis) -> schedule(task, (int) millis), this.subscribedConnections) : null;
		this.subscriber = createSubscriber(properties);
		this.subscriber.setMaxFlushDelayMillis(flushDelayMillis(properties));
		this.flushCheckMillis = this.subscriber.getMaxFlushDelayMillis() / 2;
		this.subscriber.setConfig(identify(properties));
		SSLSocketFactory tls = properties.sslSocketFactory();
		if (tls != null) {
			setSSLSocketFactory(tls);
		}
		String authSecret = properties.authSecret();
		if (authSecret != null) {
			setAuthSecret(authSecret);
		}
		this.socketFactory = super.getSSLSocketFactory();
		this.authSecret = super.getAuthSecret();
		// this client's own tasks bypass the override below, which recognises nsq-j's by their timing
		scheduleShared(this::checkNegotiated, this::hasUncheckedAnswer, NEGOTIATION_CHECK_MILLIS, NEGOTIATION_CHECK_MILLIS, false);
		HeartbeatWatch heartbeatWatch = new HeartbeatWatch(this.guards.values(), properties.getHeartbeatInterval());
		scheduleShared(heartbeatWatch, heartbeatWatch.periodMillis(), heartbeatWatch.periodMillis(), false);
		if (this.distributor != null) {
			this.distributor.setBudget(properties.getMaxInFlight());
			ReadyDistributor distributor = this.distributor;
			scheduleShared(this::redistribute, () -> distributor.isPeriodic(this.guards.size()), ReadyDistributor.PERIOD_MILLIS,
					ReadyDistributor.PERIOD_MILLIS, false);
		}
	}

	/** How often a backlog-aware distribution of fewer RDY than connections is reconsidered. */
	public static int readyPeriodMillis() {
		return ReadyDistributor.PERIOD_MILLIS;
	}

	/**
	 * How long a backlog-aware RDY given up by one connection stays taken before another connection gets it:
	 * nsqd takes each connection's commands in its own time.
	 */
	public static int readySettleMillis() {
		return ReadyDistributor.SETTLE_MILLIS;
	}

	/** Distributes the RDY again now (backlog-aware RDY only): nsqd reported messages, a lookup ended. */
	public void redistribute() {
		ReadyDistributor distributor = this.distributor;
		if (distributor != null) {
			distributor.distribute(subscribed().keySet());
		}
	}

	/**
	 * How long nsq-j may hold FIN, REQ and TOUCH commands to send them together: 200 ms, or nsqd's output
	 * buffer timeout when that is shorter. A held FIN keeps its message in flight and its RDY slot taken,
	 * so an application that asks nsqd for low latency gets it from this side too. (nsq-j checks every
	 * half of it; at least 2 ms.)
	 */
	private static int flushDelayMillis(NsqConsumerSettings properties) {
		long outputBufferTimeout = properties.getOutputBufferTimeout().toMillis();
		return (int) Math.max(MIN_FLUSH_DELAY_MILLIS, Math.min(FLUSH_DELAY_MILLIS, outputBufferTimeout));
	}

	/** The IDENTIFY settings of the container's connections; nsq-j fills in the host name. */
	private static Config identify(NsqConsumerSettings properties) {
		Config config = new Config();
		config.setUserAgent(properties.userAgent());
		config.setClientId(properties.getName());
		if (properties.getMsgTimeout() != null) {
			config.setMsgTimeout((int) properties.getMsgTimeout().toMillis());
		}
		config.setHeartbeatInterval((int) properties.getHeartbeatInterval().toMillis());
		config.setOutputBufferSize((int) properties.getOutputBufferSize().toBytes());
		config.setOutputBufferTimeout((int) properties.getOutputBufferTimeout().toMillis());
		config.setSampleRate(properties.getSampleRate());
		if (properties.usesSnappy()) {
			config.setSnappy(true);
		}
		else if (properties.usesDeflate()) {
			config.setDeflate(true);
			config.setDeflateLevel(properties.getDeflateLevel());
		}
		if (properties.usesTls()) {
			config.setTlsV1(true);
		}
		return config;
	}

	/** Whether a connection's IDENTIFY answer may still be unchecked: cheap, for the shared timer thread. */
	private boolean hasUncheckedAnswer() {
		if (this.negotiationLogged) {
			return false;
		}
		for (SubConnection connection : this.connections) {
			if (!this.negotiated.contains(connection)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Compares nsqd's IDENTIFY answer on each new connection with what was asked; where nsqd lowered a
	 * value or declined compression its answer stands, logged once per container run at INFO.
	 */
	private void checkNegotiated() {
		// a connection closed after it was checked is no longer one of this client's
		this.negotiated.retainAll(this.connections);
		for (SubConnection connection : this.connections) {
			if (!this.negotiationLogged && connection.getConfig() instanceof ServerConfig answer && this.negotiated.add(connection)) {
				String difference = negotiationDifference(answer);
				if (difference != null) {
					this.negotiationLogged = true;
					listenerLogger.info("nsqd {} answered IDENTIFY of listener '{}' with {}; its values apply", connection.getHost(),
							this.properties.getName(), difference);
				}
			}
		}
	}

	private @Nullable String negotiationDifference(ServerConfig answer) {
		if (this.properties.usesSnappy() && !Boolean.TRUE.equals(answer.getSnappy())) {
			return "snappy off (nsqd --snappy=false): the connection is not compressed";
		}
		if (this.properties.usesDeflate() && !Boolean.TRUE.equals(answer.getDeflate())) {
			return "deflate off (nsqd --deflate=false): the connection is not compressed";
		}
		if (this.properties.usesDeflate() && answer.getDeflateLevel() != null
				&& answer.getDeflateLevel() != this.properties.getDeflateLevel()) {
			return "deflate level " + answer.getDeflateLevel() + " instead of nsq.consumer.deflate-level="
					+ this.properties.getDeflateLevel() + " (nsqd --max-deflate-level)";
		}
		return null;
	}

	private Subscriber createSubscriber(NsqConsumerSettings properties) {
		int pollSeconds = (int) Math.max(1, properties.getLookupdPollInterval().toSeconds());
		try {
			return properties.usesLookupd() ? lookupdSubscriber(pollSeconds, properties.getLookupdAddresses())
					: directSubscriber(properties.nsqdHostPorts());
		}
		catch (RuntimeException ex) {
			// tasks of this client are scheduled already
			stop();
			throw ex;
		}
	}

	/**
	 * Subscribes and connects; may wait for a lookup, so call it without holding a lock that stopping
	 * needs. A touch task, when given, runs every 250 ms with the message timeout nsqd announced, in the
	 * turns where {@code touchDue} (a cheap check, made on the shared timer thread) says there may be
	 * something to touch.
	 */
	public void subscribe(MessageHandler handler, @Nullable IntConsumer touchTask, BooleanSupplier touchDue) {
		if (touchTask != null) {
			scheduleShared(() -> touchTask.accept(msgTimeoutMillis()), touchDue, TOUCH_CHECK_MILLIS, TOUCH_CHECK_MILLIS,
					false);
		}
		ReadyDistributor distributor = this.distributor;
		try {
			this.subscriber.subscribe(this.properties.getTopic(), this.properties.getChannel(),
					(distributor != null) ? 0 : this.properties.getMaxInFlight(),
					(distributor != null) ? (message) -> deliverCounted(message, handler, distributor) : handler);
		}
		finally {
			// a handshake that failed on this (the caller's) thread left its connection here
			this.handshaking.remove();
		}
		redistribute();
	}

	private void deliverCounted(Message message, MessageHandler handler, ReadyDistributor distributor) {
		ReadyDistributor.Lane lane = ReadyDistributor.arrived();
		handler.accept((lane != null)
				? new CountedMessage(message, distributor, lane, this.subscribedConnections) : message);
	}

	/*
	 * nsq-j's getters of the handler executor, socket factory and AUTH secret are synchronized on the client.
	 * nsq-j's stop holds that lock while it waits for the subscription's lock, which a lookup holds while it
	 * opens connections and calls these getters: here they read values that never change, without the lock.
	 */

	@Override
	public ExecutorService getExecutor() {
		return this.inPlaceExecutor;
	}

	@Override
	public @Nullable SSLSocketFactory getSSLSocketFactory() {
		return this.socketFactory;
	}

	@Override
	public byte @Nullable [] getAuthSecret() {
		return this.authSecret;
	}

	/**
	 * Sets the subscription's RDY count, for open connections and those opened later. nsq-j sets it under
	 * its subscriber's lock, which a lookup of an nsqlookupd that does not answer holds for up to 30 s:
	 * calls wait here in order, and each reads the count when its turn comes.
	 */
	public void setMaxInFlight(IntSupplier maxInFlight) {
		ReadyDistributor distributor = this.distributor;
		if (distributor != null) {
			// nsq-j's subscription holds 0 and its lock is not needed; the count is read under the budget's lock so
			// that a count read before a pause or drain cannot be set after its RDY 0
			synchronized (this.budgetMonitor) {
				distributor.setBudget(maxInFlight.getAsInt());
			}
			redistribute();
			return;
		}
		synchronized (this.subscriptionMonitor) {
			this.subscriber.setMaxInFlight(this.properties.getTopic(), this.properties.getChannel(), maxInFlight.getAsInt());
		}
	}

	/**
	 * Stops counting a message in flight that its listener will neither finish nor requeue (nsqd times it out):
	 * the backlog-aware distributor no longer holds its connection's place for it.
	 */
	public static void abandon(Message message) {
		if (message instanceof CountedMessage counted) {
			counted.abandon();
		}
	}

	/** Called by nsq-j on the thread that then opens the connection. */
	@Override
	void addSubConnection(SubConnection connection) {
		FlushCheck check = this.constructing.get();
		if (check != null) {
			this.constructing.remove();
			check.connection = connection;
		}
		super.addSubConnection(connection);
		this.connections.add(connection);
		this.handshaking.set(connection);
	}

	/**
	 * Puts a {@link FrameGuard} in front of a connection's input at the one moment nsq-j offers: its
	 * {@code Connection.connect} schedules the heartbeat check (delay = period + 2 s) after TLS, compression
	 * and AUTH, on the thread that opens the connection, just before it starts the read thread, which then
	 * reads the connection's {@code in} stream only.
	 */
	@Override
	ScheduledFuture scheduleAtFixedRate(Runnable task, int initialDelay, int period, boolean jitter) {
		SubConnection connection = this.handshaking.get();
		if (connection != null && initialDelay == period + HEARTBEAT_CHECK_DELAY_MILLIS && connection.in != null) {
			this.handshaking.remove();
			FrameGuard guard = new FrameGuard(connection, this.properties.getName(), this.properties.getHeartbeatInterval(),
					connection.in, (this.distributor != null) ? this.distributor.lane(connection) : null);
			connection.in = new DataInputStream(guard);
			this.guards.put(connection, guard);
			// nsqd does not echo the heartbeat interval and nsq-j takes it to be 30 s: with a longer one its
			// check (no heartbeat for two intervals) would close a healthy connection; shorter ones are the
			// guard's and the watch's to check
			int heartbeatMillis = Math.max(period, (int) this.properties.getHeartbeatInterval().toMillis());
			connection.heartbeatInterval = heartbeatMillis;
			return scheduleShared(task, heartbeatMillis + HEARTBEAT_CHECK_DELAY_MILLIS, heartbeatMillis, jitter);
		}
		if (initialDelay == this.flushCheckMillis && period == this.flushCheckMillis && !jitter) {
			// nsq-j's flush check, scheduled in the constructor of the connection this thread opens next
			FlushCheck check = new FlushCheck();
			ScheduledFuture<?> scheduled = scheduleShared(task, check, initialDelay, period, false);
			this.constructing.set(check);
			return scheduled;
		}
		if (this.distributor != null && initialDelay == LOW_FLIGHT_ROTATION_MILLIS && period == LOW_FLIGHT_ROTATION_MILLIS
				&& !jitter) {
			// nsq-j's low-flight rotation (Subscription.checkLowFlight): the distributor's job; a done task for nsq-j to cancel
			return getSchedExecutor().schedule(() -> { }, 0, TimeUnit.MILLISECONDS);
		}
		if (this.distributor != null && jitter) {
			// nsq-j's lookup (the only task it schedules with jitter): its RDY 0 on every connection is undone at once
			ReadyDistributor distributor = this.distributor;
			return scheduleShared(() -> {
				distributor.lookupStarting();
				try {
					task.run();
				}
				finally {
					distributor.lookupEnded(subscribed().keySet());
				}
			}, initialDelay, period, true);
		}
		return scheduleShared(task, initialDelay, period, jitter);
	}

	/** Every task nsq-j schedules or hands over for this client runs on the {@link ClientScheduler shared threads}. */
	@Override
	ScheduledExecutorService getSchedExecutor() {
		return this.scheduler;
	}

	@Override
	void schedule(Runnable task, int delay) {
		this.scheduler.schedule(task, delay, TimeUnit.MILLISECONDS);
	}

	private ScheduledFuture<?> scheduleShared(Runnable task, int initialDelay, int period, boolean jitter) {
		return scheduleShared(task, () -> true, initialDelay, period, jitter);
	}

	/**
	 * With jitter (nsq-j's lookups), the first run comes after 10 % to 100 % of the initial delay; a turn
	 * runs the task only when {@code due} says so.
	 */
	private ScheduledFuture<?> scheduleShared(Runnable task, BooleanSupplier due, int initialDelay, int period,
			boolean jitter) {
		int delay = jitter ? initialDelay / 10 + ThreadLocalRandom.current().nextInt(initialDelay - initialDelay / 10 + 1)
				: initialDelay;
		return this.scheduler.scheduleAtFixedRate(task, due, delay, period, TimeUnit.MILLISECONDS);
	}

	/** nsq-j builds a Gson per client, whose type adapters take some 5 KiB once used; one serves every client. */
	@Override
	Gson getGson() {
		return gson;
	}

	@Override
	void connectionClosed(SubConnection connection) {
		this.connections.remove(connection);
		this.guards.remove(connection);
		this.negotiated.remove(connection);
		super.connectionClosed(connection);
		if (this.distributor != null) {
			this.distributor.remove(connection);
			redistribute();
		}
	}

	/**
	 * A subscriber on this client that connects to the nsqd the nsqlookupd list for the topic; with TLS or
	 * AUTH, not to those that refuse the {@linkplain #probeSubscription probe} (one that cannot be reached
	 * is left to nsq-j, as without TLS).
	 */
	private Subscriber lookupdSubscriber(int pollSeconds, List<String> lookupdAddresses) {
		return new Subscriber(this, pollSeconds, 5, lookupdAddresses.toArray(String[]::new)) {
			@Override
			protected Set<HostAndPort> lookupTopic(String topic) {
				Set<HostAndPort> found = new HashSet<>(super.lookupTopic(topic));
				if (isSecured()) {
					found.removeIf((host) -> !isConnected(host) && probeSubscription(
							new HostPort(host.getHost(), host.getPort())) instanceof NsqConsumerSettings.Refused);
				}
				return found;
			}
		};
	}

	private boolean isSecured() {
		return this.properties.isSecured();
	}

	/**
	 * Probes nsqd with this container's handshake and SUB. A refusal is logged as one ERROR until nsqd
	 * accepts again, and kept in {@link #refusals()}.
	 * @return {@code null} when nsqd accepts, else why not
	 */
	private @Nullable IOException probeSubscription(HostPort address) {
		String name = this.properties.getName();
		try {
			this.properties.probeSubscription(address, SECURE_PROBE_TIMEOUT);
			if (this.refusals.remove(address.toString()) != null) {
				listenerLogger.info("nsqd {} accepts listener '{}' again", address, name);
			}
			return null;
		}
		catch (NsqConsumerSettings.Refused ex) {
			if (this.refusals.put(address.toString(), ex.getMessage()) == null) {
				listenerLogger.error("Listener '{}' cannot consume {}/{} from nsqd {}: {}; trying again {}", name,
						this.properties.getTopic(), this.properties.getChannel(), address, ex.getMessage(), retryPace());
			}
			else {
				listenerLogger.debug("nsqd {} still refuses listener '{}': {}", address, name, ex.getMessage());
			}
			return ex;
		}
		catch (IOException ex) {
			return ex;
		}
	}

	private String retryPace() {
		return this.properties.usesLookupd() ? "at each lookup (every " + this.properties.getLookupdPollInterval() + ")"
				: "after " + this.properties.getReconnectDelay() + ", backing off to at most "
						+ this.properties.getReconnectMaxDelay();
	}

	/** The nsqd (address to nsqd's answer) that refused this client's last probe: TLS, AUTH or SUB. */
	public Map<String, String> refusals() {
		return Map.copyOf(this.refusals);
	}

	/**
	 * A subscriber on this client that connects to the given nsqd TCP addresses. nsq-j checks them every
	 * second; a {@link DirectNsqd} whose connection is gone is handed to nsq-j again only once it answers.
	 */
	private Subscriber directSubscriber(List<HostPort> nsqdAddresses) {
		List<DirectNsqd> nsqds = nsqdAddresses.stream().map(DirectNsqd::new).toList();
		return new Subscriber(this, 1, 5) {
			@Override
			protected Set<HostAndPort> lookupTopic(String topic) {
				Set<HostAndPort> reachable = new HashSet<>();
				for (DirectNsqd nsqd : nsqds) {
					if (nsqd.reachable(isConnected(nsqd.host))) {
						reachable.add(nsqd.host);
					}
				}
				return reachable;
			}
		};
	}

	private boolean isConnected(HostAndPort host) {
		for (SubConnection connection : this.connections) {
			if (connection.getHost().equals(host)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Sends RDY 0 on every subscribed connection at once. It goes to the connections directly because nsq-j's
	 * {@code Subscriber.setMaxInFlight} waits for the subscriber's lock, which a lookup of an unreachable
	 * nsqlookupd holds for up to 30 s. A connection still in its handshake is left out: nsq-j holds its lock
	 * until nsqd answers, up to 30 s from a frozen nsqd.
	 */
	public void readyZero() {
		if (this.distributor != null) {
			synchronized (this.budgetMonitor) {
				this.distributor.setBudget(0);
			}
		}
		for (SubConnection connection : subscribed().keySet()) {
			connection.setMaxInFlight(0);
		}
	}

	/**
	 * Runs a task once after a delay on this client's scheduler (where the TOUCH task runs): a batch
	 * listener's max-wait timers.
	 * @throws java.util.concurrent.RejectedExecutionException once the client has stopped
	 */
	public void scheduleOnce(Runnable task, long delayMillis) {
		schedule(task, (int) Math.min(delayMillis, Integer.MAX_VALUE));
	}

	/**
	 * Sends the FIN, REQ and TOUCH commands nsq-j holds on every subscribed connection now, rather than
	 * at its flush timer: a batch listener's batch is done, and nsqd sends the next messages only once it
	 * has them.
	 */
	public void flush() {
		for (SubConnection connection : subscribed().keySet()) {
			synchronized (connection) {
				if (connection.unflushedCount > 0) {
					try {
						connection.flush();
					}
					catch (IOException | RuntimeException ex) {
						logger.debug("Flush failed on {}", connection, ex);
					}
				}
			}
		}
	}

	/** Connections on which nsqd accepted the subscription, and not closed yet. */
	public int connectionCount() {
		return subscribed().size();
	}

	/** TCP addresses ({@code host:port}) of the nsqd of those connections. */
	public Set<String> subscribedNsqd() {
		Set<String> addresses = new TreeSet<>();
		for (SubConnection connection : subscribed().keySet()) {
			addresses.add(new HostPort(connection.getHost().getHost(), connection.getHost().getPort()).toString());
		}
		return addresses;
	}

	private Map<SubConnection, FrameGuard> subscribed() {
		Map<SubConnection, FrameGuard> subscribed = new HashMap<>();
		this.guards.forEach((connection, guard) -> {
			if (guard.isSubscribed()) {
				subscribed.put(connection, guard);
			}
		});
		return subscribed;
	}

	/** The shortest message timeout that nsqd announced on any open connection (60 s when none is open). */
	private int msgTimeoutMillis() {
		int timeout = Integer.MAX_VALUE;
		for (SubConnection connection : this.connections) {
			timeout = Math.min(timeout, connection.getMsgTimeout());
		}
		return (timeout != Integer.MAX_VALUE) ? timeout : DEFAULT_MSG_TIMEOUT_MILLIS;
	}

	/**
	 * Flushes pending FIN/REQ/TOUCH commands and sends CLS on every subscribed connection, then waits (at
	 * most {@code waitMillis} in all) for nsqd to answer CLOSE_WAIT: after it nsqd sends no more messages.
	 * Connections still in their handshake are left to {@link #stop(int)}, which closes them.
	 * @return the number of connections that confirmed CLOSE_WAIT
	 */
	public int closeConnections(long waitMillis) {
		Map<SubConnection, FrameGuard> closing = subscribed();
		for (Map.Entry<SubConnection, FrameGuard> entry : closing.entrySet()) {
			SubConnection connection = entry.getKey();
			entry.getValue().expectCloseWait();
			synchronized (connection) {
				try {
					connection.out.write("CLS\n".getBytes(Util.US_ASCII));
					connection.flush();
				}
				catch (IOException | RuntimeException ex) {
					logger.debug("CLS failed on {}", connection, ex);
				}
			}
		}
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
		int confirmed = 0;
		for (SubConnection connection : closing.keySet()) {
			long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
			try {
				String response = connection.respQueue.poll(Math.max(remaining, 0), TimeUnit.MILLISECONDS);
				if ("CLOSE_WAIT".equals(response)) {
					confirmed++;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return confirmed;
	}

	/**
	 * Stops as nsq-j does, after closing the connections still in their handshake: nsq-j opens a connection
	 * holding its subscription's lock, which its stop needs, until nsqd answers IDENTIFY and SUB (up to 30 s
	 * each from a frozen nsqd); aborted, the handshake fails at once. A lookup already under way finishes
	 * first, and nsq-j's stop then closes what it opened.
	 */
	@Override
	public synchronized boolean stop(int waitMillis) {
		// null when the subscriber could not be created (nsq-j refused an nsqlookupd address): this client stops then
		if (this.subscriber != null) {
			this.subscriber.isStopping = true;
		}
		Map<SubConnection, FrameGuard> subscribed = subscribed();
		for (SubConnection connection : this.connections) {
			if (!subscribed.containsKey(connection)) {
				FrameGuard.abort(connection, "listener stopping");
			}
		}
		long start = System.nanoTime();
		boolean clean = super.stop(waitMillis);
		// nsq-j shut down its own scheduler, which never started a thread; this client's tasks ran on the shared one
		this.scheduler.shutdown();
		long remaining = waitMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		try {
			return this.scheduler.awaitTermination(Math.max(remaining, 100), TimeUnit.MILLISECONDS) && clean;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Whether nsq-j's flush check of a connection has anything to flush: most turns of an idle or busy
	 * connection have not (nsq-j flushes FIN, REQ and TOUCH itself once enough are held), and then cost no
	 * hand-over to a shared thread. The count is read without nsq-j's lock: a turn that misses a command
	 * just written leaves it to the next turn, {@code maxFlushDelayMillis / 2} later, within nsq-j's own bound.
	 */
	private static final class FlushCheck implements BooleanSupplier {

		private volatile @Nullable SubConnection connection;

		@Override
		public boolean getAsBoolean() {
			SubConnection connection = this.connection;
			return connection == null || connection.unflushedCount > 0;
		}

	}

	/** Runs each task at once on the calling thread: nsq-j's reader thread hands a delivery over in place. */
	private static final class InPlaceExecutor extends AbstractExecutorService {

		private volatile boolean shutdown;

		@Override
		public void execute(Runnable task) {
			task.run();
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
		}

		@Override
		public List<Runnable> shutdownNow() {
			this.shutdown = true;
			return List.of();
		}

		@Override
		public boolean isShutdown() {
			return this.shutdown;
		}

		@Override
		public boolean isTerminated() {
			return this.shutdown;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return this.shutdown;
		}

	}

	/**
	 * An nsqd the container connects to directly. While it has no connection it is probed with a plain TCP
	 * connect before nsq-j may connect again (nsq-j logs every failed connect as an ERROR with a stack
	 * trace), or with TLS or AUTH with the {@linkplain #probeSubscription handshake probe}: at the first
	 * check after the connection is lost, then after {@code reconnect-delay}, doubling with jitter up to
	 * {@code reconnect-max-delay}; one WARN per outage.
	 */
	private final class DirectNsqd {

		private static final int PROBE_TIMEOUT_MILLIS = 1000;

		private static final long CHECK_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

		private final HostAndPort host;

		private final HostPort address;

		private long nextProbeNanos;

		private long delayNanos;

		private boolean down;

		DirectNsqd(HostPort address) {
			this.address = address;
			this.host = HostAndPort.fromParts(address.host(), address.port());
			this.delayNanos = firstDelayNanos();
		}

		/** The reconnect delay, at most the max delay (as Spring's ExponentialBackOff caps its initial interval). */
		private long firstDelayNanos() {
			return Math.min(ContainerClient.this.properties.getReconnectDelay().toNanos(),
					ContainerClient.this.properties.getReconnectMaxDelay().toNanos());
		}

		/** Called under the subscriber's lock, once per check. */
		boolean reachable(boolean connected) {
			if (connected) {
				this.down = false;
				this.nextProbeNanos = 0;
				this.delayNanos = firstDelayNanos();
				return true;
			}
			long now = System.nanoTime();
			// checks come once a second: a probe due a little after this one is made now, not a second late
			if (now - this.nextProbeNanos < -CHECK_SLACK_NANOS) {
				return false;
			}
			IOException failure = isSecured() ? probeSubscription(this.address) : probe();
			// the pace grows until a connection is open (above), also when nsqd accepts the probe but nsq-j's
			// connection then fails (a server that accepts and closes, or refuses the handshake)
			// jitter below the delay only, so that reconnect-max-delay stays the longest pause
			double jitter = 0.5 + 0.5 * ThreadLocalRandom.current().nextDouble();
			this.nextProbeNanos = now + (long) (this.delayNanos * jitter);
			this.delayNanos = Math.min(this.delayNanos * 2, ContainerClient.this.properties.getReconnectMaxDelay().toNanos());
			if (failure == null) {
				return true;
			}
			if (!this.down && !(failure instanceof NsqConsumerSettings.Refused)) {
				listenerLogger.warn("nsqd {} of listener '{}' cannot be reached ({}); retrying after {}, backing off to at most {}",
						this.address, ContainerClient.this.properties.getName(), failure.toString(),
						ContainerClient.this.properties.getReconnectDelay(), ContainerClient.this.properties.getReconnectMaxDelay());
			}
			this.down = true;
			return false;
		}

		private @Nullable IOException probe() {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress(this.address.host(), this.address.port()), PROBE_TIMEOUT_MILLIS);
				return null;
			}
			catch (IOException ex) {
				return ex;
			}
		}

	}

}

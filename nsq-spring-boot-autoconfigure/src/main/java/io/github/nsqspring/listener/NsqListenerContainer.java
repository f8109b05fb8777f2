package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

import com.sproutsocial.nsq.Config;
import com.sproutsocial.nsq.ContainerClient;
import com.sproutsocial.nsq.Message;
import com.sproutsocial.nsq.Subscriber;
import io.github.nsqspring.core.NsqPayloadConversionException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;

/**
 * One topic/channel consumer. It owns an nsq-j {@code Client} and a pool of {@code concurrency} handler
 * threads, so containers never share or starve each other's threads, and it drains on stop:
 * <ol>
 * <li>{@link ContainerState#DRAINING}: RDY 0 on every connection;</li>
 * <li>every message delivered but not started by a handler, and every message delivered from now on, is
 * requeued at once (REQ 0) without calling the handler;</li>
 * <li>running handlers are awaited for at most {@code shutdownTimeout}, TOUCHed when auto-touch is on;</li>
 * <li>at the timeout their messages are requeued (REQ 0) and their threads interrupted, with one WARN;
 * a late FIN from such a handler is ignored;</li>
 * <li>CLS on every connection, then the connections, the scheduler and the handler pool are closed;</li>
 * <li>{@link ContainerState#STOPPED}, and the stop callback runs.</li>
 * </ol>
 */
public class NsqListenerContainer implements SmartLifecycle {

	/** Phase of containers and of the registry: late start, early stop. */
	public static final int DEFAULT_PHASE = Integer.MAX_VALUE - 100;

	private static final Log logger = LogFactory.getLog(NsqListenerContainer.class);

	private static final int FLUSH_DELAY_MILLIS = 200;

	private static final int TOUCH_CHECK_MILLIS = 250;

	private static final long CLOSE_WAIT_MILLIS = 1000;

	private static final int CLIENT_STOP_MILLIS = 2000;

	private static final long DRAIN_POLL_MILLIS = 5;

	private final long id;

	private final ContainerProperties properties;

	private final NsqMessageListener listener;

	private final NsqDeadLetterHandler deadLetterHandler;

	private final Object lifecycleMonitor = new Object();

	private volatile UnacknowledgedMessages unacknowledged = new UnacknowledgedMessages(null);

	private final LongAdder finished = new LongAdder();

	private final LongAdder requeued = new LongAdder();

	private final LongAdder deadLettered = new LongAdder();

	private final LongAdder requeuedOnShutdown = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final DeliveredMessage.OutcomeListener outcomeListener = this::acknowledged;

	private volatile ContainerState state = ContainerState.CREATED;

	private volatile boolean accepting;

	private volatile ContainerClient client;

	private volatile Subscriber subscriber;

	private volatile DrainAwareExecutor executor;

	private volatile DrainReport lastDrain;

	private CompletableFuture<Void> drained = CompletableFuture.completedFuture(null);

	private volatile MessageObserver.OutcomeObserver outcomeObserver = MessageObserver.OutcomeObserver.NONE;

	/**
	 * @param id the container's unique id (a snowflake id in the registry)
	 * @param properties what to consume and how
	 * @param listener the handler
	 * @param deadLetterHandler where messages go that cannot be handled
	 */
	public NsqListenerContainer(long id, ContainerProperties properties, NsqMessageListener listener,
			NsqDeadLetterHandler deadLetterHandler) {
		if (!properties.usesLookupd() && properties.getNsqdAddresses().isEmpty()) {
			throw new IllegalArgumentException("Listener '" + properties.getName()
					+ "' has neither nsqlookupd nor nsqd addresses to connect to");
		}
		this.id = id;
		this.properties = properties;
		this.listener = listener;
		this.deadLetterHandler = deadLetterHandler;
	}

	public long getId() {
		return this.id;
	}

	public String getName() {
		return this.properties.getName();
	}

	public String getTopic() {
		return this.properties.getTopic();
	}

	public String getChannel() {
		return this.properties.getChannel();
	}

	public ContainerProperties getContainerProperties() {
		return this.properties;
	}

	public ContainerState getState() {
		return this.state;
	}

	/** Lets the observer (metrics) observe this container and every outcome of its messages; one at a time. */
	public void setMessageObserver(MessageObserver observer) {
		this.outcomeObserver = (observer != null) ? observer.observe(this) : MessageObserver.OutcomeObserver.NONE;
	}

	@Override
	public boolean isAutoStartup() {
		return this.properties.isAutoStartup();
	}

	@Override
	public int getPhase() {
		return DEFAULT_PHASE;
	}

	@Override
	public boolean isRunning() {
		ContainerState current = this.state;
		return current == ContainerState.STARTING || current == ContainerState.RUNNING || current == ContainerState.PAUSED;
	}

	/**
	 * Connects and starts handling. When connecting fails (a bad address, say) the container is left
	 * {@link ContainerState#STOPPED} with no thread running, and the exception is rethrown.
	 */
	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			if (isRunning() || this.state == ContainerState.DRAINING) {
				return;
			}
			this.state = ContainerState.STARTING;
			ContainerClient newClient = new ContainerClient();
			DrainAwareExecutor newExecutor = new DrainAwareExecutor(getName(), this.properties.getConcurrency(),
					() -> this.accepting);
			try {
				newClient.setExecutor(newExecutor);
				Subscriber newSubscriber = createSubscriber(newClient);
				this.client = newClient;
				this.executor = newExecutor;
				this.unacknowledged = new UnacknowledgedMessages(newExecutor);
				this.subscriber = newSubscriber;
				this.accepting = true;
				newSubscriber.subscribe(getTopic(), getChannel(), this.properties.getMaxInFlight(), this::onMessage);
				if (this.properties.isAutoTouch()) {
					newClient.scheduleEvery(this::touchLongRunningMessages, TOUCH_CHECK_MILLIS);
				}
			}
			catch (RuntimeException ex) {
				this.accepting = false;
				newClient.stop(CLIENT_STOP_MILLIS);
				newExecutor.shutdownNow();
				this.state = ContainerState.STOPPED;
				throw new IllegalStateException("Listener '" + getName() + "' could not start on " + getTopic() + "/"
						+ getChannel() + " via " + this.properties.describeConnection() + ": " + ex.getMessage(), ex);
			}
			this.state = ContainerState.RUNNING;
			logger.debug("Started listener '" + getName() + "' on " + getTopic() + "/" + getChannel() + " via "
					+ this.properties.describeConnection());
		}
	}

	private Subscriber createSubscriber(ContainerClient newClient) {
		int pollSeconds = (int) Math.max(1, this.properties.getLookupdPollInterval().toSeconds());
		Subscriber created = this.properties.usesLookupd()
				? new Subscriber(newClient, pollSeconds, 5, this.properties.getLookupdAddresses().toArray(String[]::new))
				: newClient.directSubscriber(pollSeconds, this.properties.getNsqdAddresses());
		created.setMaxFlushDelayMillis(FLUSH_DELAY_MILLIS);
		Config config = new Config();
		config.setUserAgent("nsq-spring-boot");
		config.setClientId(getName());
		created.setConfig(config);
		return created;
	}

	/** RDY 0 without disconnecting: no new deliveries; delivered messages are still handled. */
	public void pause() {
		synchronized (this.lifecycleMonitor) {
			if (this.state == ContainerState.RUNNING) {
				this.client.readyZero();
				this.subscriber.setMaxInFlight(getTopic(), getChannel(), 0);
				this.state = ContainerState.PAUSED;
			}
		}
	}

	/** Restores the RDY count after {@link #pause()}. */
	public void resume() {
		synchronized (this.lifecycleMonitor) {
			if (this.state == ContainerState.PAUSED) {
				this.subscriber.setMaxInFlight(getTopic(), getChannel(), this.properties.getMaxInFlight());
				this.state = ContainerState.RUNNING;
			}
		}
	}

	/** Drains and stops on the calling thread; returns when {@link ContainerState#STOPPED}. */
	@Override
	public void stop() {
		StopAndWait.stop(this);
	}

	/**
	 * Drains and stops on a thread of its own and runs the callback exactly once when stopped: at once
	 * when the container is not running, and when a drain is already under way (started by another
	 * caller, such as the actuator endpoint), when that drain ends.
	 */
	@Override
	public void stop(Runnable callback) {
		CompletableFuture<Void> drained;
		synchronized (this.lifecycleMonitor) {
			if (this.state == ContainerState.DRAINING) {
				drained = this.drained;
			}
			else if (!isRunning()) {
				drained = CompletableFuture.completedFuture(null);
			}
			else {
				this.state = ContainerState.DRAINING;
				// from now on no handler starts: a delivery is requeued at once (REQ 0) on the thread it arrives on
				this.accepting = false;
				drained = new CompletableFuture<>();
				this.drained = drained;
				new Thread(() -> {
					try {
						drain();
					}
					finally {
						drained.complete(null);
					}
				}, "nsq-drain-" + getName()).start();
			}
		}
		drained.whenComplete((ignored, failure) -> callback.run());
	}

	private void drain() {
		long start = System.nanoTime();
		long requeuedBefore = this.requeuedOnShutdown.sum();
		ContainerClient currentClient = this.client;
		DrainAwareExecutor currentExecutor = this.executor;
		List<String> abandoned = List.of();
		int awaited = 0;
		try {
			currentClient.readyZero();
			readyZeroOnLaterConnections(this.subscriber);
			currentExecutor.runQueuedTasks();
			awaited = this.unacknowledged.size();
			awaitHandlers(currentExecutor, start + this.properties.getShutdownTimeout().toNanos());
			abandoned = abandonRunningHandlers();
			currentClient.closeConnections(CLOSE_WAIT_MILLIS);
			currentExecutor.runQueuedTasks();
		}
		catch (RuntimeException ex) {
			logger.error("Listener '" + getName() + "' failed while draining; closing its connections", ex);
		}
		finally {
			currentClient.stop(CLIENT_STOP_MILLIS);
			currentExecutor.shutdownNow();
			synchronized (this.lifecycleMonitor) {
				this.state = ContainerState.STOPPED;
			}
		}
		this.lastDrain = new DrainReport(getName(), awaited, this.requeuedOnShutdown.sum() - requeuedBefore - abandoned.size(),
				abandoned, Duration.ofNanos(System.nanoTime() - start));
		logger.info("NSQ " + this.lastDrain);
	}

	/**
	 * RDY 0 for connections that a lookup opens from now on. nsq-j sets it under its subscriber's lock,
	 * which a lookup of an nsqlookupd that does not answer holds for up to 30 s, so it is set on a thread
	 * of its own rather than on the drain's (the open connections got RDY 0 directly). A delivery on a
	 * connection opened in the meantime is requeued at once, as every delivery during the drain.
	 */
	private void readyZeroOnLaterConnections(Subscriber current) {
		Thread thread = new Thread(() -> current.setMaxInFlight(getTopic(), getChannel(), 0), "nsq-ready-zero-" + getName());
		thread.setDaemon(true);
		thread.start();
	}

	private void awaitHandlers(DrainAwareExecutor currentExecutor, long deadlineNanos) {
		while (!this.unacknowledged.isEmpty() && System.nanoTime() < deadlineNanos) {
			currentExecutor.runQueuedTasks();
			try {
				Thread.sleep(DRAIN_POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	private List<String> abandonRunningHandlers() {
		List<String> ids = new ArrayList<>();
		this.unacknowledged.forEach((message, thread) -> {
			if (message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO)) {
				ids.add(message.id());
				if (thread != null) {
					thread.interrupt();
				}
			}
		});
		if (!ids.isEmpty()) {
			logger.warn("Listener '" + getName() + "' requeued " + ids.size() + " message(s) whose handling did not end within "
					+ "the shutdown timeout of " + this.properties.getShutdownTimeout() + " and interrupted their handlers: "
					+ ids);
		}
		return ids;
	}

	void onMessage(Message delivered) {
		DeliveredMessage message = new DeliveredMessage(delivered, getChannel(), this.outcomeListener);
		UnacknowledgedMessages tracked = this.unacknowledged;
		// tracked before reading the flag that the drain clears before it looks for unacknowledged messages
		tracked.handlerStarting(message);
		try {
			if (this.accepting) {
				handle(message);
			}
			else {
				message.requeue(MessageOutcome.REQUEUED_ON_SHUTDOWN, Duration.ZERO);
			}
		}
		finally {
			tracked.handlerEnded(message);
		}
	}

	private void handle(DeliveredMessage message) {
		if (message.attempts() > this.properties.getMaxAttempts()) {
			deadLetter(message, new IllegalStateException("Message " + message.id() + " was delivered " + message.attempts()
					+ " times; listener '" + getName() + "' allows " + this.properties.getMaxAttempts()));
			return;
		}
		if (this.properties.isSkipEmptyMessages() && message.body().length == 0) {
			message.complete(MessageOutcome.FINISHED);
			return;
		}
		try {
			this.listener.onMessage(message);
			if (this.properties.isAutoAcknowledge()) {
				message.complete(MessageOutcome.FINISHED);
			}
		}
		catch (NsqPayloadConversionException ex) {
			this.failed.increment();
			deadLetter(message, ex);
		}
		catch (Throwable ex) {
			this.failed.increment();
			handleFailure(message, ex);
		}
	}

	private void handleFailure(DeliveredMessage message, Throwable ex) {
		if (message.isAcknowledged()) {
			if (message.outcome() != MessageOutcome.REQUEUED_ON_SHUTDOWN) {
				logger.warn("Listener '" + getName() + "' failed after it acknowledged message " + message.id() + " ("
						+ message.outcome().tagValue() + "): " + ex, ex);
			}
			return;
		}
		if (message.attempts() >= this.properties.getMaxAttempts()) {
			deadLetter(message, ex);
			return;
		}
		Duration delay = this.properties.backoffFor(message.attempts());
		if (message.requeue(MessageOutcome.REQUEUED, delay)) {
			logger.warn("Listener '" + getName() + "' failed on message " + message.id() + " (attempt " + message.attempts()
					+ " of " + this.properties.getMaxAttempts() + "); requeued with a delay of " + delay.toMillis() + " ms: "
					+ ex, ex);
		}
	}

	private void deadLetter(DeliveredMessage message, Throwable cause) {
		try {
			this.deadLetterHandler.handle(message, cause);
			message.complete(MessageOutcome.DEAD_LETTERED);
		}
		catch (Throwable ex) {
			Duration delay = this.properties.backoffFor(message.attempts());
			boolean requeued = message.requeue(MessageOutcome.REQUEUED, delay);
			logger.error("Dead-letter handler of listener '" + getName() + "' failed on message " + message.id()
					+ (requeued ? "; requeued with a delay of " + delay.toMillis() + " ms" : " (" + message.outcome().tagValue() + ")"),
					ex);
		}
	}

	private void acknowledged(DeliveredMessage message, MessageOutcome outcome) {
		this.unacknowledged.acknowledged(message);
		switch (outcome) {
			case FINISHED -> this.finished.increment();
			case REQUEUED -> this.requeued.increment();
			case DEAD_LETTERED -> this.deadLettered.increment();
			case REQUEUED_ON_SHUTDOWN -> this.requeuedOnShutdown.increment();
		}
		this.outcomeObserver.acknowledged(message, outcome, message.nanosSinceDelivery());
	}

	private void touchLongRunningMessages() {
		long halfTimeout = this.client.msgTimeoutMillis() / 2;
		this.unacknowledged.forEach((message, thread) -> {
			if (message.millisSinceTouch() >= halfTimeout) {
				message.touch();
			}
		});
	}

	/** Messages delivered and not yet finished or requeued: queued for a handler, running, or awaiting a manual ack. */
	public int getInFlightCount() {
		DrainAwareExecutor current = this.executor;
		return this.unacknowledged.size() + ((current != null && isRunning()) ? current.queuedTasks() : 0);
	}

	public long getFinishedCount() {
		return this.finished.sum();
	}

	public long getRequeuedCount() {
		return this.requeued.sum();
	}

	public long getDeadLetteredCount() {
		return this.deadLettered.sum();
	}

	public long getRequeuedOnShutdownCount() {
		return this.requeuedOnShutdown.sum();
	}

	/** Handler invocations that threw. */
	public long getFailedCount() {
		return this.failed.sum();
	}

	/** Open nsqd connections (0 when not running). */
	public int getConnectionCount() {
		ContainerClient current = this.client;
		return (current != null && isRunning()) ? current.connectionCount() : 0;
	}

	/** What the last drain did, or null before the first stop. */
	public DrainReport getLastDrain() {
		return this.lastDrain;
	}

	@Override
	public String toString() {
		return "NsqListenerContainer[id=" + this.id + ", name=" + getName() + ", " + getTopic() + "/" + getChannel() + ", "
				+ this.state + "]";
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;

import io.github.nsqspring.support.NsqNames;
import io.github.nsqspring.support.RangeChecks;

/**
 * Settings of one {@link NsqListenerContainer}: what it consumes, how many handlers run at once, how it
 * retries, how it connects and how it drains. It owns the defaults and range checks of these settings;
 * {@code nsq.consumer.*} only overrides them.
 */
public class ContainerProperties {

	/** How long a draining container waits for running handlers unless told otherwise. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);

	private final String topic;

	private final String channel;

	private String name;

	private int concurrency = 1;

	private Integer maxInFlight;

	private int maxAttempts = 5;

	private boolean autoAcknowledge = true;

	private boolean autoStartup = true;

	private Duration backoffInitial = Duration.ofSeconds(1);

	private Duration backoffMax = Duration.ofSeconds(60);

	private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;

	private boolean autoTouch = true;

	private boolean skipEmptyMessages = true;

	private boolean observationEnabled;

	private List<String> lookupdAddresses = List.of();

	private List<String> nsqdAddresses = List.of();

	private Duration lookupdPollInterval = Duration.ofSeconds(15);

	private Duration reconnectDelay = Duration.ofSeconds(1);

	private Duration reconnectMaxDelay = Duration.ofSeconds(2);

	/**
	 * @param topic the topic to consume (validated against NSQ's naming rules)
	 * @param channel the channel to consume (validated against NSQ's naming rules)
	 */
	public ContainerProperties(String topic, String channel) {
		this.topic = NsqNames.requireValidTopic(topic);
		this.channel = NsqNames.requireValidChannel(channel);
		this.name = topic + "/" + channel;
	}

	public String getTopic() {
		return this.topic;
	}

	public String getChannel() {
		return this.channel;
	}

	/** A readable name for logs, metrics and lookups; defaults to {@code topic/channel}. */
	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public int getConcurrency() {
		return this.concurrency;
	}

	/** Handler threads of the container. */
	public void setConcurrency(int concurrency) {
		// the handler pool is a ForkJoinPool, which takes at most 32767 threads
		this.concurrency = RangeChecks.atMost("concurrency", HandlerPool.MAX_THREADS, RangeChecks.atLeast("concurrency", 1, concurrency));
	}

	/** RDY count: messages nsqd may have in flight to this container; defaults to the concurrency. */
	public int getMaxInFlight() {
		return (this.maxInFlight != null) ? this.maxInFlight : this.concurrency;
	}

	public void setMaxInFlight(Integer maxInFlight) {
		this.maxInFlight = (maxInFlight != null) ? RangeChecks.atLeast("maxInFlight", 1, maxInFlight) : null;
	}

	public int getMaxAttempts() {
		return this.maxAttempts;
	}

	/** Attempts after which a failing message goes to the dead-letter handler. */
	public void setMaxAttempts(int maxAttempts) {
		this.maxAttempts = RangeChecks.atLeast("maxAttempts", 1, maxAttempts);
	}

	public boolean isAutoAcknowledge() {
		return this.autoAcknowledge;
	}

	/**
	 * {@code true} (AUTO): the container finishes a message when the handler returns. {@code false}
	 * (MANUAL): the handler finishes or requeues it through {@code NsqMessage}.
	 */
	public void setAutoAcknowledge(boolean autoAcknowledge) {
		this.autoAcknowledge = autoAcknowledge;
	}

	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public Duration getBackoffInitial() {
		return this.backoffInitial;
	}

	public void setBackoffInitial(Duration backoffInitial) {
		this.backoffInitial = RangeChecks.positive("backoffInitial", backoffInitial);
	}

	public Duration getBackoffMax() {
		return this.backoffMax;
	}

	public void setBackoffMax(Duration backoffMax) {
		this.backoffMax = RangeChecks.positive("backoffMax", backoffMax);
	}

	/** The requeue delay after failed attempt number {@code attempts}: initial * 2^(attempts-1), capped at max. */
	public Duration backoffFor(int attempts) {
		long initial = this.backoffInitial.toMillis();
		int doublings = Math.min(Math.max(attempts - 1, 0), 40);
		long delay = (initial > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : initial << doublings;
		return Duration.ofMillis(Math.min(delay, this.backoffMax.toMillis()));
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = RangeChecks.positive("shutdownTimeout", shutdownTimeout);
	}

	public boolean isObservationEnabled() {
		return this.observationEnabled;
	}

	/**
	 * Whether each message is an {@code nsq.listener} Micrometer observation (when an observation registry
	 * is set). {@code false} (the default) creates none, and a plain timer measures the messages; read
	 * when the container is created.
	 */
	public void setObservationEnabled(boolean observationEnabled) {
		this.observationEnabled = observationEnabled;
	}

	public boolean isAutoTouch() {
		return this.autoTouch;
	}

	public void setAutoTouch(boolean autoTouch) {
		this.autoTouch = autoTouch;
	}

	public boolean isSkipEmptyMessages() {
		return this.skipEmptyMessages;
	}

	public void setSkipEmptyMessages(boolean skipEmptyMessages) {
		this.skipEmptyMessages = skipEmptyMessages;
	}

	public List<String> getLookupdAddresses() {
		return this.lookupdAddresses;
	}

	/** nsqlookupd HTTP addresses; when not empty the container discovers nsqd through them. */
	public void setLookupdAddresses(List<String> lookupdAddresses) {
		this.lookupdAddresses = List.copyOf(lookupdAddresses);
	}

	public List<String> getNsqdAddresses() {
		return this.nsqdAddresses;
	}

	/** nsqd TCP addresses the container connects to directly when no lookupd address is set. */
	public void setNsqdAddresses(List<String> nsqdAddresses) {
		this.nsqdAddresses = List.copyOf(nsqdAddresses);
	}

	public Duration getLookupdPollInterval() {
		return this.lookupdPollInterval;
	}

	public void setLookupdPollInterval(Duration lookupdPollInterval) {
		this.lookupdPollInterval = RangeChecks.positive("lookupdPollInterval", lookupdPollInterval);
	}

	public Duration getReconnectDelay() {
		return this.reconnectDelay;
	}

	/**
	 * Pause before the second attempt to reach a directly connected nsqd whose connection was lost (the
	 * first is made within a second); it doubles, with jitter, up to {@link #setReconnectMaxDelay}.
	 */
	public void setReconnectDelay(Duration reconnectDelay) {
		this.reconnectDelay = RangeChecks.positive("reconnectDelay", reconnectDelay);
	}

	public Duration getReconnectMaxDelay() {
		return this.reconnectMaxDelay;
	}

	/** Longest pause between two attempts to reach a directly connected nsqd. */
	public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
		this.reconnectMaxDelay = RangeChecks.positive("reconnectMaxDelay", reconnectMaxDelay);
	}

	/** Whether consumers discover nsqd through nsqlookupd. */
	public boolean usesLookupd() {
		return !this.lookupdAddresses.isEmpty();
	}

	/** The addresses the container connects through, for logs: lookupd when set, else nsqd. */
	public String describeConnection() {
		return usesLookupd() ? "nsqlookupd " + this.lookupdAddresses : "nsqd " + this.nsqdAddresses;
	}

}

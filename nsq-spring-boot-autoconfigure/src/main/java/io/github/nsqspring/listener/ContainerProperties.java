package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqCompression;
import io.github.nsqspring.core.NsqConsumerSettings;
import io.github.nsqspring.core.NsqSecurity;
import io.github.nsqspring.support.NsqNames;
import io.github.nsqspring.support.RangeChecks;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one {@link NsqListenerContainer}: what it consumes, how many handlers run at once, how it
 * retries, how it connects (with the IDENTIFY settings it asks nsqd for) and how it drains. It owns the defaults and range checks of these settings;
 * {@code nsq.consumer.*} only overrides them.
 */
public class ContainerProperties implements NsqConsumerSettings {

	/** How long a draining container waits for running handlers unless told otherwise. */
	public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(25);

	private final String topic;

	private final String channel;

	private String name;

	private int concurrency = 1;

	private @Nullable Integer maxInFlight;

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

	private double backoffJitter = 0.1;

	private List<Class<?>> notRetryableExceptions = List.of();

	private boolean flowBackoff;

	private boolean backlogAwareRdy = true;

	private Duration flowBackoffInitial = Duration.ofSeconds(1);

	private Duration flowBackoffMax = Duration.ofMinutes(2);

	private @Nullable Duration msgTimeout;

	private Duration heartbeatInterval = Duration.ofSeconds(30);

	private DataSize outputBufferSize = DataSize.ofKilobytes(16);

	private Duration outputBufferTimeout = Duration.ofMillis(250);

	private int sampleRate;

	private NsqCompression compression = NsqCompression.NONE;

	private int deflateLevel = 6;

	private NsqSecurity security = NsqSecurity.NONE;

	private @Nullable NsqErrorHandler errorHandler;

	private boolean batch;

	private int batchMaxSize = 100;

	private Duration batchMaxWait = Duration.ofMillis(100);

	private @Nullable Duration idleEventInterval;

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
		this.concurrency = RangeChecks.atMost("concurrency", HandlerWorkers.MAX_CONCURRENCY, RangeChecks.atLeast("concurrency", 1, concurrency));
	}

	/**
	 * RDY count: messages nsqd may have in flight to this container; defaults to the concurrency, for a
	 * batch listener to {@code concurrency} full batches ({@code concurrency × batchMaxSize}).
	 */
	public int getMaxInFlight() {
		if (this.maxInFlight != null) {
			return this.maxInFlight;
		}
		return this.batch ? (int) Math.min(Integer.MAX_VALUE, (long) this.concurrency * this.batchMaxSize) : this.concurrency;
	}

	public void setMaxInFlight(@Nullable Integer maxInFlight) {
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

	public @Nullable NsqErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	/**
	 * The container's retry policy; null (the default) for the factory's, else a {@link DefaultNsqErrorHandler}
	 * built from these properties ({@code maxAttempts}, {@code backoff*}, {@code notRetryableExceptions}).
	 */
	public void setErrorHandler(@Nullable NsqErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	public double getBackoffJitter() {
		return this.backoffJitter;
	}

	/** Fraction (0 to 1) by which each requeue delay is moved at random, up or down. */
	public void setBackoffJitter(double backoffJitter) {
		if (!(backoffJitter >= 0 && backoffJitter <= 1)) {
			throw new IllegalArgumentException("backoffJitter must be between 0 and 1, not " + backoffJitter);
		}
		this.backoffJitter = backoffJitter;
	}

	public List<Class<?>> getNotRetryableExceptions() {
		return this.notRetryableExceptions;
	}

	/**
	 * Exception classes, by name, whose failures go to the dead-letter path at once rather than being
	 * retried; a failure counts when it or any of its causes is an instance of one of them.
	 */
	public void setNotRetryableExceptions(List<String> classNames) {
		List<Class<?>> classes = new ArrayList<>();
		for (String className : classNames) {
			Class<?> type;
			try {
				type = ClassUtils.forName(className.trim(), ContainerProperties.class.getClassLoader());
			}
			catch (ClassNotFoundException | LinkageError ex) {
				throw new IllegalArgumentException("notRetryableExceptions names class '" + className + "', which is not on "
						+ "the class path", ex);
			}
			if (!Throwable.class.isAssignableFrom(type)) {
				throw new IllegalArgumentException("notRetryableExceptions names class '" + className + "', which is not a Throwable");
			}
			classes.add(type);
		}
		this.notRetryableExceptions = List.copyOf(classes);
	}

	public boolean isFlowBackoff() {
		return this.flowBackoff;
	}

	/**
	 * go-nsq-style flow control: each failed message raises a backoff level and stops deliveries (RDY 0)
	 * for a window, then lets one message through (RDY 1); successes lower the level until full RDY
	 * returns.
	 */
	public void setFlowBackoff(boolean flowBackoff) {
		this.flowBackoff = flowBackoff;
	}

	@Override
	public boolean isBacklogAwareRdy() {
		return this.backlogAwareRdy;
	}

	/**
	 * Backlog-aware RDY (the default): with a max-in-flight below the number of nsqd connections, RDY goes
	 * first to the nsqd that hold messages for the channel (seen on the connections and read from nsqd's
	 * {@code /stats}), reconsidered every 250 ms; false leaves it to nsq-j, which rotates one RDY every 10 s.
	 */
	public void setBacklogAwareRdy(boolean backlogAwareRdy) {
		this.backlogAwareRdy = backlogAwareRdy;
	}

	public Duration getFlowBackoffInitial() {
		return this.flowBackoffInitial;
	}

	/** Backoff window at level 1; it doubles with each level up to {@link #setFlowBackoffMax}. */
	public void setFlowBackoffInitial(Duration flowBackoffInitial) {
		this.flowBackoffInitial = RangeChecks.positive("flowBackoffInitial", flowBackoffInitial);
	}

	public Duration getFlowBackoffMax() {
		return this.flowBackoffMax;
	}

	/** Longest backoff window. */
	public void setFlowBackoffMax(Duration flowBackoffMax) {
		this.flowBackoffMax = RangeChecks.positive("flowBackoffMax", flowBackoffMax);
	}

	public @Nullable Duration getMsgTimeout() {
		return this.msgTimeout;
	}

	/**
	 * IDENTIFY {@code msg_timeout}: how long nsqd waits for this consumer's FIN, REQ or TOUCH; null for
	 * nsqd's {@code --msg-timeout}. At least 1s, and nsqd refuses more than its {@code --max-msg-timeout}.
	 */
	public void setMsgTimeout(@Nullable Duration msgTimeout) {
		this.msgTimeout = (msgTimeout != null) ? RangeChecks.atLeast("msgTimeout", Duration.ofSeconds(1), msgTimeout) : null;
	}

	public Duration getHeartbeatInterval() {
		return this.heartbeatInterval;
	}

	/** IDENTIFY {@code heartbeat_interval}: at least 1s; nsqd refuses more than its {@code --max-heartbeat-interval}. */
	public void setHeartbeatInterval(Duration heartbeatInterval) {
		this.heartbeatInterval = RangeChecks.atLeast("heartbeatInterval", Duration.ofSeconds(1), heartbeatInterval);
	}

	public DataSize getOutputBufferSize() {
		return this.outputBufferSize;
	}

	/**
	 * IDENTIFY {@code output_buffer_size}: bytes nsqd buffers before it writes to this consumer; at least
	 * 64 bytes; nsqd refuses more than its {@code --max-output-buffer-size}.
	 */
	public void setOutputBufferSize(DataSize outputBufferSize) {
		if (outputBufferSize == null || outputBufferSize.toBytes() < 64 || outputBufferSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("outputBufferSize must be at least 64B, not " + outputBufferSize);
		}
		this.outputBufferSize = outputBufferSize;
	}

	public Duration getOutputBufferTimeout() {
		return this.outputBufferTimeout;
	}

	/**
	 * IDENTIFY {@code output_buffer_timeout}: how long nsqd lets a message wait in this consumer's buffer
	 * before it flushes; at least 1ms, and nsqd refuses less than its {@code --min-output-buffer-timeout}
	 * (25ms by default).
	 */
	public void setOutputBufferTimeout(Duration outputBufferTimeout) {
		this.outputBufferTimeout = RangeChecks.atLeast("outputBufferTimeout", Duration.ofMillis(1), outputBufferTimeout);
	}

	public int getSampleRate() {
		return this.sampleRate;
	}

	/** IDENTIFY {@code sample_rate}: 0 for every message, 1 to 99 for the percentage nsqd delivers. */
	public void setSampleRate(int sampleRate) {
		this.sampleRate = RangeChecks.between("sampleRate", 0, 99, sampleRate);
	}

	public NsqCompression getCompression() {
		return this.compression;
	}

	/** Compression of the container's connections; snappy needs snappy-java on the class path. */
	public void setCompression(NsqCompression compression) {
		this.compression = compression.requireAvailable();
	}

	public int getDeflateLevel() {
		return this.deflateLevel;
	}

	/** Deflate level, 1 to 9; nsqd lowers it to its {@code --max-deflate-level} (6 by default). */
	public void setDeflateLevel(int deflateLevel) {
		this.deflateLevel = RangeChecks.between("deflateLevel", 1, 9, deflateLevel);
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = RangeChecks.positive("shutdownTimeout", shutdownTimeout);
	}

	/** Whether the container hands its listener batches of messages: set by the container of a batch listener. */
	public boolean isBatch() {
		return this.batch;
	}

	void setBatch(boolean batch) {
		this.batch = batch;
	}

	public int getBatchMaxSize() {
		return this.batchMaxSize;
	}

	/** The most messages in one batch of a batch listener; a batch this full is handed over at once. */
	public void setBatchMaxSize(int batchMaxSize) {
		this.batchMaxSize = RangeChecks.atLeast("batchMaxSize", 1, batchMaxSize);
	}

	public Duration getBatchMaxWait() {
		return this.batchMaxWait;
	}

	/** The longest a batch listener's batch waits, from its first message, before it is handed over not full. */
	public void setBatchMaxWait(Duration batchMaxWait) {
		this.batchMaxWait = RangeChecks.positive("batchMaxWait", batchMaxWait);
	}

	/**
	 * Checks that a batch listener's max-in-flight lets nsqd deliver a whole batch.
	 * @throws IllegalArgumentException naming the listener and both values when it does not
	 */
	void requireRoomForBatch() {
		int inFlight = getMaxInFlight();
		if (inFlight < this.batchMaxSize) {
			throw new IllegalArgumentException("Listener '" + this.name + "' has max-in-flight " + inFlight
					+ ", smaller than one batch (batch max-size " + this.batchMaxSize + "): nsqd would never deliver a "
					+ "full batch; raise max-in-flight to at least " + this.batchMaxSize + " (it defaults to concurrency × "
					+ "batch max-size) or lower batch max-size");
		}
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

	/**
	 * nsqlookupd HTTP addresses, {@code host:port} or {@code http://host:port} (kept as {@code host:port});
	 * when not empty the container discovers nsqd through them.
	 * @throws IllegalArgumentException for an address that is neither, naming it
	 */
	public void setLookupdAddresses(List<String> lookupdAddresses) {
		this.lookupdAddresses = lookupdAddresses.stream().map((address) -> NsqAddress.parseHttp(address).toString()).toList();
	}

	public List<String> getNsqdAddresses() {
		return this.nsqdAddresses;
	}

	/**
	 * nsqd TCP addresses ({@code host:port}) the container connects to directly when no lookupd address is set.
	 * @throws IllegalArgumentException for an address that is not {@code host:port}, naming it
	 */
	public void setNsqdAddresses(List<String> nsqdAddresses) {
		this.nsqdAddresses = nsqdAddresses.stream().map((address) -> NsqAddress.parse(address).toString()).toList();
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
	 * first is made within a second); it doubles, with jitter, up to {@link #setReconnectMaxDelay}, which
	 * also caps a larger one.
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

	public NsqSecurity getSecurity() {
		return this.security;
	}

	/** TLS and the AUTH secret of the container's nsqd connections; {@link NsqSecurity#NONE} by default. */
	public void setSecurity(NsqSecurity security) {
		this.security = (security != null) ? security : NsqSecurity.NONE;
	}

	/** How long without a message before an idle event, repeated each interval while idle; null (the default) for none. */
	public @Nullable Duration getIdleEventInterval() {
		return this.idleEventInterval;
	}

	public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
		this.idleEventInterval = (idleEventInterval != null) ? RangeChecks.positive("idleEventInterval", idleEventInterval)
				: null;
	}

	/** The addresses the container connects through, for logs: lookupd when set, else nsqd. */
	public String describeConnection() {
		return usesLookupd() ? "nsqlookupd " + this.lookupdAddresses : "nsqd " + this.nsqdAddresses;
	}

}

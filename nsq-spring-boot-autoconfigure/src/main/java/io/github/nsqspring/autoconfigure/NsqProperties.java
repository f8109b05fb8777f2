package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.github.nsqspring.core.NsqAddress;
import io.github.nsqspring.core.NsqCompression;
import io.github.nsqspring.core.NsqProducerSettings;
import io.github.nsqspring.listener.StartupFailurePolicy;
import io.github.nsqspring.support.NsqNames;
import io.github.nsqspring.support.RangeChecks;
import io.github.nsqspring.archive.SqlNames;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the NSQ starter, bound from {@code nsq.*}. A value that cannot be converted or that
 * is out of range fails startup with a message naming the property. The defaults of the consumer
 * settings are those of {@code ContainerProperties} (unset values here are not applied), those of the
 * producer settings those of {@link NsqProducerSettings}.
 */
@ConfigurationProperties("nsq")
public class NsqProperties {

	private static final String HTTPS = "https://";

	/**
	 * HTTP addresses (host:port, or http://host:port) of nsqlookupd. When set, consumers discover the nsqd
	 * that hold their topic through them; when empty, consumers connect to nsq.nsqd-addresses directly.
	 * Not used when the application defines an NsqConnectionDetails bean.
	 */
	private List<String> lookupdAddresses = new ArrayList<>();

	/**
	 * TCP addresses (host:port) of nsqd. The template publishes to the first (primary) and fails over to
	 * the second; consumers connect to all of them when no lookupd address is set. Not used when the
	 * application defines an NsqConnectionDetails bean.
	 */
	private List<String> nsqdAddresses = new ArrayList<>(List.of("127.0.0.1:4150"));

	/**
	 * HTTP addresses (host:port) of nsqd, for the health check's /ping. Empty means each nsqd TCP address
	 * with the port plus one (nsqd's default layout: 4150 for TCP, 4151 for HTTP). An address written
	 * https://host:port is checked over HTTPS with the nsq.ssl settings. Not used when the application
	 * defines an NsqConnectionDetails bean.
	 */
	private List<String> nsqdHttpAddresses = new ArrayList<>();

	/**
	 * Secret the template and the listeners send with AUTH when nsqd's IDENTIFY answer says auth_required
	 * (nsqd runs with --auth-http-address). Never logged.
	 */
	private @Nullable String authSecret;

	private final Ssl ssl = new Ssl();

	private final Delay delay = new Delay();

	private final Consumer consumer = new Consumer();

	private final Producer producer = new Producer();

	private final Archive archive = new Archive();

	public List<String> getLookupdAddresses() {
		return this.lookupdAddresses;
	}

	public void setLookupdAddresses(List<String> lookupdAddresses) {
		this.lookupdAddresses = addresses("lookupd-addresses", lookupdAddresses, NsqAddress::parseHttp);
	}

	public List<String> getNsqdAddresses() {
		return this.nsqdAddresses;
	}

	public void setNsqdAddresses(List<String> nsqdAddresses) {
		this.nsqdAddresses = addresses("nsqd-addresses", nsqdAddresses, NsqAddress::parse);
	}

	public List<String> getNsqdHttpAddresses() {
		return this.nsqdHttpAddresses;
	}

	public void setNsqdHttpAddresses(List<String> nsqdHttpAddresses) {
		List<String> parsed = new ArrayList<>();
		for (String address : nsqdHttpAddresses) {
			// nsqd serves HTTPS when it runs with TLS (nsqlookupd never does): keep that scheme, parse the rest
			String value = address.trim();
			boolean https = value.regionMatches(true, 0, HTTPS, 0, HTTPS.length());
			if (!https && value.contains("://") && !value.regionMatches(true, 0, "http://", 0, 7)) {
				throw new IllegalArgumentException(
						"nsq.nsqd-http-addresses contains '" + address + "': the scheme must be http:// or https://");
			}
			String hostAndPort = https ? value.substring(HTTPS.length()) : value;
			parsed.add((https ? HTTPS : "") + addresses("nsqd-http-addresses", List.of(hostAndPort), NsqAddress::parseHttp).get(0));
		}
		this.nsqdHttpAddresses = parsed;
	}

	public @Nullable String getAuthSecret() {
		return this.authSecret;
	}

	public void setAuthSecret(@Nullable String authSecret) {
		this.authSecret = authSecret;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Delay getDelay() {
		return this.delay;
	}

	public Consumer getConsumer() {
		return this.consumer;
	}

	public Producer getProducer() {
		return this.producer;
	}

	public Archive getArchive() {
		return this.archive;
	}

	/** Parses every address, naming the property when one is not valid; returns them as host:port. */
	static List<String> addresses(String property, List<String> addresses, Function<String, NsqAddress> parser) {
		List<String> parsed = new ArrayList<>();
		for (String address : addresses) {
			try {
				parsed.add(parser.apply(address).toString());
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("nsq." + property + " contains '" + address + "': " + ex.getMessage(), ex);
			}
		}
		return parsed;
	}

	static Duration positive(String property, Duration value) {
		return RangeChecks.positive("nsq." + property, value);
	}

	static int atLeast(String property, int minimum, int value) {
		return RangeChecks.atLeast("nsq." + property, minimum, value);
	}

	static DataSize bytes(String property, DataSize value) {
		if (value == null || value.toBytes() < 1 || value.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"nsq." + property + " must be between 1B and " + Integer.MAX_VALUE + "B, not " + value);
		}
		return value;
	}

	/** TLS on connections to nsqd. */
	public static class Ssl {

		/**
		 * Whether connections to nsqd, the template's and the listeners', use TLS (IDENTIFY with tls_v1; an
		 * nsqd that does not offer TLS is refused). Without a bundle, the JVM's default trust store is used.
		 */
		private boolean enabled;

		/**
		 * Name of a spring.ssl.bundle.* bundle: its trust store checks nsqd's certificate, its key store
		 * (if any) is the client certificate. Setting it enables TLS.
		 */
		private @Nullable String bundle;

		/**
		 * Whether nsqd's certificate must name the host connected to (subject alternative names).
		 */
		private boolean verifyHostname = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public boolean isVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

	}

	/** Durable delayed messages ({@code NsqDelayedMessages}). */
	public static class Delay {

		/**
		 * Where delayed messages are kept until they are due. "redis" needs spring-data-redis and uses the
		 * application's RedisConnectionFactory.
		 */
		private Store store = Store.NONE;

		/**
		 * Longest pause between two looks for due messages; the poller also wakes at the next due time it
		 * knows of.
		 */
		private Duration pollInterval = Duration.ofMillis(100);

		/**
		 * Most due messages claimed and published at once.
		 */
		private int batchSize = 100;

		/**
		 * How long claimed messages are reserved for the instance that claimed them. Messages not
		 * published within it (the instance died) are claimed again; must be well above
		 * nsq.producer.timeout.
		 */
		private Duration lease = Duration.ofSeconds(30);

		/**
		 * Prefix of the Redis keys of the delayed messages. Instances that share a prefix share the
		 * messages: each is published by one of them.
		 */
		private String keyPrefix = "nsq:delay:";

		/**
		 * Longest delay a message may be scheduled with.
		 */
		private Duration maxDelay = Duration.ofDays(30);

		public Store getStore() {
			return this.store;
		}

		public void setStore(Store store) {
			this.store = store;
		}

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = positive("delay.poll-interval", pollInterval);
		}

		public int getBatchSize() {
			return this.batchSize;
		}

		public void setBatchSize(int batchSize) {
			this.batchSize = atLeast("delay.batch-size", 1, batchSize);
		}

		public Duration getLease() {
			return this.lease;
		}

		public void setLease(Duration lease) {
			this.lease = positive("delay.lease", lease);
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			if (keyPrefix == null || keyPrefix.isBlank()) {
				throw new IllegalArgumentException("nsq.delay.key-prefix must not be empty");
			}
			this.keyPrefix = keyPrefix;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = positive("delay.max-delay", maxDelay);
		}

		/** Stores of delayed messages. */
		public enum Store {

			/** No durable delays: no NsqDelayedMessages bean. */
			NONE,

			/** A Redis sorted set of due times, polled by every application instance. */
			REDIS

		}

	}

	/** Settings of {@code @NsqListener} containers. */
	public static class Consumer {

		/**
		 * Channel of listeners that name none. Empty means the value of spring.application.name.
		 */
		private @Nullable String defaultChannel;

		/**
		 * Handler threads per listener container, at most 32767. Empty means 1.
		 */
		private @Nullable Integer concurrency;

		/**
		 * Messages nsqd may send a container before it finishes any (RDY). Empty means equal to the
		 * container's concurrency; for a batch listener, concurrency x nsq.consumer.batch.max-size.
		 */
		private @Nullable Integer maxInFlight;

		/**
		 * Deliveries of one message before it goes to the dead-letter path. Empty means 5.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * Interval of nsqlookupd polls that discover new nsqd for a topic. Empty means 15s.
		 */
		private @Nullable Duration lookupdPollInterval;

		/**
		 * How long a stopping container waits for running handlers before it requeues their messages.
		 * Empty means 25s.
		 */
		private @Nullable Duration shutdownTimeout;

		/**
		 * With direct nsqd addresses (no nsqlookupd): pause before the second attempt to reach an nsqd whose
		 * connection was lost (the first is made within a second); it doubles, with jitter, up to
		 * nsq.consumer.reconnect-max-delay. Empty means 1s.
		 */
		private @Nullable Duration reconnectDelay;

		/**
		 * With direct nsqd addresses: longest pause between two attempts to reach an nsqd. Empty means 2s.
		 */
		private @Nullable Duration reconnectMaxDelay;

		/**
		 * Whether to TOUCH messages whose handler runs longer than half of nsqd's message timeout. Empty
		 * means true.
		 */
		private @Nullable Boolean autoTouch;

		/**
		 * Whether to finish a message with an empty body without calling the handler. Empty means true.
		 */
		private @Nullable Boolean skipEmptyMessages;

		/**
		 * Whether each message of a listener is an nsq.listener Micrometer observation (for tracing). Empty
		 * means false: no observation, a plain nsq.listener timer.
		 */
		private @Nullable Boolean observationEnabled;

		/**
		 * Topic that receives messages whose attempts are exhausted or whose payload cannot be converted,
		 * when no NsqDeadLetterHandler bean exists. "{topic}" is replaced by the listener's topic, e.g.
		 * "{topic}.dead"; for an ephemeral topic by its name without "#ephemeral", which then ends the
		 * result ("orders#ephemeral" gives "orders.dead#ephemeral"). Each listener's dead-letter topic is
		 * checked at startup. Empty means log at ERROR and finish.
		 */
		private @Nullable String deadLetterTopic;

		/**
		 * Worker id (0-1023) of the snowflake ids of listener containers. Empty means derived from the
		 * host name and process id.
		 */
		private @Nullable Integer workerId;

		/**
		 * Exception class names whose failures go to the dead-letter path at once, without retries: a
		 * failure counts when it or any of its causes is an instance of one of them.
		 */
		private List<String> notRetryableExceptions = new ArrayList<>();

		/**
		 * How long nsqd waits for a consumer's FIN, REQ or TOUCH before it redelivers the message (IDENTIFY
		 * msg_timeout); at least 1s and at most nsqd's --max-msg-timeout. Empty means nsqd's --msg-timeout.
		 */
		private @Nullable Duration msgTimeout;

		/**
		 * Interval of nsqd's heartbeats to a consumer; at least 1s and at most nsqd's
		 * --max-heartbeat-interval. Empty means 30s. A listener closes a connection that hears nothing
		 * from nsqd for two intervals.
		 */
		private @Nullable Duration heartbeatInterval;

		/**
		 * Bytes nsqd buffers before it writes to a consumer; at least 64B and at most nsqd's
		 * --max-output-buffer-size. Empty means 16KB.
		 */
		private @Nullable DataSize outputBufferSize;

		/**
		 * Longest time nsqd holds messages in a consumer's buffer before it flushes them: the main wait of
		 * a message at low traffic with max-in-flight above 1. At least nsqd's --min-output-buffer-timeout
		 * (25ms unless nsqd is started with a lower one). Empty means 250ms.
		 */
		private @Nullable Duration outputBufferTimeout;

		/**
		 * Percentage (1-99) of messages nsqd delivers to each consumer; 0 delivers every message. Empty
		 * means 0.
		 */
		private @Nullable Integer sampleRate;

		/**
		 * Compression of consumer connections: none, snappy (needs org.xerial.snappy:snappy-java) or
		 * deflate. Empty means none.
		 */
		private @Nullable NsqCompression compression;

		/**
		 * Deflate level, 1-9; nsqd lowers it to its --max-deflate-level (6 by default). Empty means 6.
		 */
		private @Nullable Integer deflateLevel;

		/**
		 * Interval of the reads of nsqd's /stats for the channel backlog of the listeners (the
		 * nsq.channel.* meters and the nsq endpoint): one request per nsqd for all listeners, made only
		 * while a MeterRegistry or the endpoint uses them.
		 */
		private Duration statsInterval = Duration.ofSeconds(15);

		/**
		 * Time without a message after which a listener container publishes an
		 * NsqListenerContainerIdleEvent, again each interval while none comes. Empty means no idle events.
		 */
		private @Nullable Duration idleEventInterval;

		/**
		 * What the application's start does when a listener has no nsqd connection once started: continue
		 * (start anyway and keep looking), stop (fail the start, naming each such listener and what its nsqd
		 * or nsqlookupd answered) or retry (wait up to nsq.consumer.startup-timeout for every listener's
		 * connection, then fail as stop does).
		 */
		private StartupFailurePolicy startupFailure = StartupFailurePolicy.CONTINUE;

		/**
		 * How long nsq.consumer.startup-failure=retry waits for every listener's nsqd connection.
		 */
		private Duration startupTimeout = Duration.ofSeconds(30);

		private final Backoff backoff = new Backoff();

		private final FlowBackoff flowBackoff = new FlowBackoff();

		private final ConsumerBatch batch = new ConsumerBatch();

		/**
		 * Whether a listener whose max-in-flight is below its number of nsqd connections gives its RDY first
		 * to the nsqd that hold messages for its channel (seen on the connections and read from nsqd's
		 * /stats through the HTTP port nsqlookupd lists), reconsidered every 250ms; false leaves it to
		 * nsq-j, which moves one RDY every 10s whatever the backlog. Empty means true.
		 */
		private @Nullable Boolean backlogAwareRdy;

		public @Nullable Boolean getBacklogAwareRdy() {
			return this.backlogAwareRdy;
		}

		public void setBacklogAwareRdy(@Nullable Boolean backlogAwareRdy) {
			this.backlogAwareRdy = backlogAwareRdy;
		}

		public @Nullable String getDefaultChannel() {
			return this.defaultChannel;
		}

		public void setDefaultChannel(@Nullable String defaultChannel) {
			this.defaultChannel = defaultChannel;
		}

		public @Nullable Integer getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(@Nullable Integer concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(@Nullable Integer maxInFlight) {
			this.maxInFlight = maxInFlight;
		}

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Duration getLookupdPollInterval() {
			return this.lookupdPollInterval;
		}

		public void setLookupdPollInterval(@Nullable Duration lookupdPollInterval) {
			this.lookupdPollInterval = lookupdPollInterval;
		}

		public @Nullable Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(@Nullable Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public @Nullable Duration getReconnectDelay() {
			return this.reconnectDelay;
		}

		public void setReconnectDelay(@Nullable Duration reconnectDelay) {
			this.reconnectDelay = reconnectDelay;
		}

		public @Nullable Duration getReconnectMaxDelay() {
			return this.reconnectMaxDelay;
		}

		public void setReconnectMaxDelay(@Nullable Duration reconnectMaxDelay) {
			this.reconnectMaxDelay = reconnectMaxDelay;
		}

		public @Nullable Boolean getObservationEnabled() {
			return this.observationEnabled;
		}

		public Duration getStatsInterval() {
			return this.statsInterval;
		}

		public void setStatsInterval(Duration statsInterval) {
			this.statsInterval = positive("consumer.stats-interval", statsInterval);
		}

		public StartupFailurePolicy getStartupFailure() {
			return this.startupFailure;
		}

		public void setStartupFailure(StartupFailurePolicy startupFailure) {
			this.startupFailure = startupFailure;
		}

		public Duration getStartupTimeout() {
			return this.startupTimeout;
		}

		public void setStartupTimeout(Duration startupTimeout) {
			this.startupTimeout = positive("consumer.startup-timeout", startupTimeout);
		}

		public @Nullable Duration getIdleEventInterval() {
			return this.idleEventInterval;
		}

		public void setIdleEventInterval(@Nullable Duration idleEventInterval) {
			this.idleEventInterval = (idleEventInterval != null) ? positive("consumer.idle-event-interval", idleEventInterval)
					: null;
		}

		public void setObservationEnabled(@Nullable Boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public @Nullable Boolean getAutoTouch() {
			return this.autoTouch;
		}

		public void setAutoTouch(@Nullable Boolean autoTouch) {
			this.autoTouch = autoTouch;
		}

		public @Nullable Boolean getSkipEmptyMessages() {
			return this.skipEmptyMessages;
		}

		public void setSkipEmptyMessages(@Nullable Boolean skipEmptyMessages) {
			this.skipEmptyMessages = skipEmptyMessages;
		}

		public @Nullable String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(@Nullable String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public @Nullable Integer getWorkerId() {
			return this.workerId;
		}

		public void setWorkerId(@Nullable Integer workerId) {
			this.workerId = (workerId != null) ? RangeChecks.between("nsq.consumer.worker-id", 0, 1023, workerId) : null;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

		public FlowBackoff getFlowBackoff() {
			return this.flowBackoff;
		}

		public ConsumerBatch getBatch() {
			return this.batch;
		}

		public List<String> getNotRetryableExceptions() {
			return this.notRetryableExceptions;
		}

		public void setNotRetryableExceptions(List<String> notRetryableExceptions) {
			this.notRetryableExceptions = notRetryableExceptions;
		}

		public @Nullable Duration getMsgTimeout() {
			return this.msgTimeout;
		}

		public void setMsgTimeout(@Nullable Duration msgTimeout) {
			this.msgTimeout = msgTimeout;
		}

		public @Nullable Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

		public @Nullable DataSize getOutputBufferSize() {
			return this.outputBufferSize;
		}

		public void setOutputBufferSize(@Nullable DataSize outputBufferSize) {
			this.outputBufferSize = outputBufferSize;
		}

		public @Nullable Duration getOutputBufferTimeout() {
			return this.outputBufferTimeout;
		}

		public void setOutputBufferTimeout(@Nullable Duration outputBufferTimeout) {
			this.outputBufferTimeout = outputBufferTimeout;
		}

		public @Nullable Integer getSampleRate() {
			return this.sampleRate;
		}

		public void setSampleRate(@Nullable Integer sampleRate) {
			this.sampleRate = sampleRate;
		}

		public @Nullable NsqCompression getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable NsqCompression compression) {
			this.compression = compression;
		}

		public @Nullable Integer getDeflateLevel() {
			return this.deflateLevel;
		}

		public void setDeflateLevel(@Nullable Integer deflateLevel) {
			this.deflateLevel = deflateLevel;
		}

	}

	/** Requeue delay after a failed attempt: {@code initial * 2^(attempts-1)}, capped at {@code max}. */
	public static class Backoff {

		/**
		 * Requeue delay after the first failed attempt; at most nsq.consumer.backoff.max. Empty means 1s.
		 */
		private @Nullable Duration initial;

		/**
		 * Longest requeue delay. Empty means 60s.
		 */
		private @Nullable Duration max;

		/**
		 * Fraction (0-1) by which each requeue delay is moved at random, up or down. Empty means 0.1
		 * (±10%).
		 */
		private @Nullable Double jitter;

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = initial;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

	}

	/**
	 * go-nsq-style flow control of each listener container: a failed message raises a backoff level and
	 * stops deliveries (RDY 0 on every connection) for initial x 2^(level-1), capped at max and jittered;
	 * then one message is let through (RDY 1); a success lowers the level, and at level 0 full RDY
	 * returns.
	 */
	public static class FlowBackoff {

		/**
		 * Whether listener containers throttle deliveries after failures; @NsqListener(flowBackoff)
		 * overrides it per listener. Empty means false.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Backoff window at level 1; it doubles with each level. Empty means 1s.
		 */
		private @Nullable Duration initial;

		/**
		 * Longest backoff window. Empty means 2m.
		 */
		private @Nullable Duration max;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Duration getInitial() {
			return this.initial;
		}

		public void setInitial(@Nullable Duration initial) {
			this.initial = initial;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

	}

	/**
	 * Batches of batch listeners ({@code @NsqListener(batch = "true")}): a batch is handed over when it holds
	 * max-size messages or when its first message has waited max-wait.
	 */
	public static class ConsumerBatch {

		/**
		 * The most messages in one batch; @NsqListener(batchMaxSize) overrides it per listener. A batch
		 * listener's max-in-flight defaults to concurrency x max-size and must be at least max-size. Empty
		 * means 100.
		 */
		private @Nullable Integer maxSize;

		/**
		 * The longest a batch waits, from its first message, before it is handed over not full;
		 * @NsqListener(batchMaxWait) overrides it per listener. Empty means 100ms.
		 */
		private @Nullable Duration maxWait;

		public @Nullable Integer getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(@Nullable Integer maxSize) {
			this.maxSize = maxSize;
		}

		public @Nullable Duration getMaxWait() {
			return this.maxWait;
		}

		public void setMaxWait(@Nullable Duration maxWait) {
			this.maxWait = maxWait;
		}

	}

	/** Settings of the {@code NsqTemplate} connections. */
	public static class Producer {

		/**
		 * Longest wait for nsqd's answer to a publish, and for a connection to open. A publish that takes
		 * longer fails with NsqPublishException.
		 */
		private Duration timeout = NsqProducerSettings.DEFAULT_TIMEOUT;

		/**
		 * Publisher connections per nsqd, so that concurrent senders do not queue behind one another.
		 */
		private int connections = NsqProducerSettings.DEFAULT_CONNECTIONS;

		/**
		 * Largest message body nsqd accepts; must match nsqd's --max-msg-size (nsqd does not report it over
		 * TCP). Larger payloads are rejected before sending.
		 */
		private DataSize maxMessageSize = DataSize.ofBytes(NsqProducerSettings.DEFAULT_MAX_MESSAGE_SIZE);

		/**
		 * Largest MPUB body nsqd accepts; must match nsqd's --max-body-size. Larger batches are rejected
		 * before sending.
		 */
		private DataSize maxBodySize = DataSize.ofBytes(NsqProducerSettings.DEFAULT_MAX_BODY_SIZE);

		/**
		 * Longest DPUB delay nsqd accepts; must match nsqd's --max-req-timeout. Longer delays are rejected
		 * before sending.
		 */
		private Duration maxDeferral = NsqProducerSettings.DEFAULT_MAX_DEFERRAL;

		/**
		 * How long a connection that had to use the failover nsqd is kept before the template tries the
		 * primary again.
		 */
		private Duration failbackInterval = NsqProducerSettings.DEFAULT_FAILBACK_INTERVAL;

		/**
		 * Interval of nsqd's heartbeats on a publisher connection, at least 1s and at most nsqd's
		 * --max-heartbeat-interval. The template answers them; a connection that hears nothing from nsqd
		 * for two intervals is closed and reopened by the next publish.
		 */
		private Duration heartbeatInterval = NsqProducerSettings.DEFAULT_HEARTBEAT_INTERVAL;

		/**
		 * Most bytes of message bodies queued or awaiting nsqd's answer, per template. Beyond it a publish
		 * (sync or async) waits for room, at most the timeout, then fails with NsqPublishException.
		 */
		private DataSize maxPending = DataSize.ofBytes(NsqProducerSettings.DEFAULT_MAX_PENDING);

		/**
		 * Compression of the template's connections: none, snappy (needs org.xerial.snappy:snappy-java) or
		 * deflate. nsqd must allow it (its --snappy / --deflate, on by default); a publish to an nsqd that
		 * refuses it fails. Empty means none.
		 */
		private NsqCompression compression = NsqCompression.NONE;

		/**
		 * Deflate level (1-9) of what the template sends when nsq.producer.compression=deflate: 1 is the
		 * fastest, 9 the smallest.
		 */
		private int deflateLevel = NsqProducerSettings.DEFAULT_DEFLATE_LEVEL;

		/**
		 * Whether each publish of the NsqTemplate is an nsq.template Micrometer observation (for tracing).
		 * False means no observation, a plain nsq.template timer.
		 */
		private boolean observationEnabled;

		private final Batch batch = new Batch();

		private final Envelope envelope = new Envelope();

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = positive("producer.timeout", timeout);
		}

		public int getConnections() {
			return this.connections;
		}

		public void setConnections(int connections) {
			this.connections = atLeast("producer.connections", 1, connections);
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = bytes("producer.max-message-size", maxMessageSize);
		}

		public DataSize getMaxBodySize() {
			return this.maxBodySize;
		}

		public void setMaxBodySize(DataSize maxBodySize) {
			this.maxBodySize = bytes("producer.max-body-size", maxBodySize);
		}

		public Duration getMaxDeferral() {
			return this.maxDeferral;
		}

		public void setMaxDeferral(Duration maxDeferral) {
			this.maxDeferral = positive("producer.max-deferral", maxDeferral);
		}

		public Duration getFailbackInterval() {
			return this.failbackInterval;
		}

		public void setFailbackInterval(Duration failbackInterval) {
			this.failbackInterval = positive("producer.failback-interval", failbackInterval);
		}

		public Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = RangeChecks.atLeast("nsq.producer.heartbeat-interval", Duration.ofSeconds(1),
					heartbeatInterval);
		}

		public DataSize getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(DataSize maxPending) {
			this.maxPending = bytes("producer.max-pending", maxPending);
		}

		public NsqCompression getCompression() {
			return this.compression;
		}

		public void setCompression(@Nullable NsqCompression compression) {
			try {
				this.compression = (compression != null) ? compression.requireAvailable() : NsqCompression.NONE;
			}
			catch (IllegalStateException ex) {
				throw new IllegalStateException("nsq.producer.compression=" + compression + ": " + ex.getMessage(), ex);
			}
		}

		public int getDeflateLevel() {
			return this.deflateLevel;
		}

		public void setDeflateLevel(int deflateLevel) {
			this.deflateLevel = RangeChecks.between("nsq.producer.deflate-level", 1, 9, deflateLevel);
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Batch getBatch() {
			return this.batch;
		}

		public Envelope getEnvelope() {
			return this.envelope;
		}

	}

	/**
	 * The NSQE v1 envelope: headers (trace context, content-type, a Message's headers, nsq-not-before of
	 * deferred messages) in front of the payload. Listeners read envelopes whatever these say.
	 */
	public static class Envelope {

		/**
		 * Whether the template wraps the messages of every topic in an NSQE envelope. Consumers that do not
		 * use this starter must read the envelope (a documented byte format) once it is on.
		 */
		private boolean enabled;

		/**
		 * Topics whose messages the template wraps in an envelope, or * for all; when set, only these
		 * (whatever nsq.producer.envelope.enabled says).
		 */
		private List<String> topics = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			for (String topic : topics) {
				if (!"*".equals(topic)) {
					try {
						NsqNames.requireValidTopic(topic);
					}
					catch (IllegalArgumentException ex) {
						throw new IllegalArgumentException("nsq.producer.envelope.topics: " + ex.getMessage(), ex);
					}
				}
			}
			this.topics = topics;
		}

	}

	/**
	 * Publishes queued on one connection while it writes are sent together: consecutive single publishes
	 * and batches of one topic go out as one MPUB (each stays all or nothing). Nothing waits for a batch
	 * to fill; batches form only under load.
	 */
	public static class Batch {

		/**
		 * Most messages of queued publishes of one topic merged into one MPUB; 1 sends every publish on
		 * its own. A larger batch is sent as it is.
		 */
		private int maxMessages = NsqProducerSettings.DEFAULT_BATCH_MAX_MESSAGES;

		/**
		 * Largest MPUB body a merge may form; at most nsq.producer.max-body-size. A larger batch is sent
		 * as it is.
		 */
		private DataSize maxSize = DataSize.ofBytes(NsqProducerSettings.DEFAULT_BATCH_MAX_BYTES);

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = atLeast("producer.batch.max-messages", 1, maxMessages);
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			this.maxSize = bytes("producer.batch.max-size", maxSize);
		}

	}

	/** The archive channel: every message of some topics recorded in a database table, for replay. */
	public static class Archive {

		/**
		 * Topics whose messages are recorded in the archive table, each through its own channel
		 * (nsq.archive.channel). Empty means no archive.
		 */
		private List<String> topics = new ArrayList<>();

		/**
		 * Channel the archive subscribes to each archived topic.
		 */
		private String channel = "archive";

		/**
		 * Table that holds the archived messages: a plain SQL identifier.
		 */
		private String tableName = "nsq_archive";

		/**
		 * When to create the archive table at startup (if missing): embedded (only for an embedded
		 * database), always, or never.
		 */
		private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

		private final ArchiveBatch batch = new ArchiveBatch();

		public List<String> getTopics() {
			return this.topics;
		}

		public void setTopics(List<String> topics) {
			try {
				topics.forEach(NsqNames::requireValidTopic);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("nsq.archive.topics: " + ex.getMessage(), ex);
			}
			this.topics = topics;
		}

		public String getChannel() {
			return this.channel;
		}

		public void setChannel(String channel) {
			try {
				NsqNames.requireValidChannel(channel);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("nsq.archive.channel: " + ex.getMessage(), ex);
			}
			if (channel.endsWith("#ephemeral")) {
				throw new IllegalArgumentException("nsq.archive.channel must not be ephemeral: nsqd drops the messages "
						+ "of an ephemeral channel while the archive is disconnected, not '" + channel + "'");
			}
			this.channel = channel;
		}

		public String getTableName() {
			return this.tableName;
		}

		public void setTableName(String tableName) {
			try {
				this.tableName = SqlNames.requireValidIdentifier(tableName);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("nsq.archive.table-name: " + ex.getMessage(), ex);
			}
		}

		public SchemaInitialization getInitializeSchema() {
			return this.initializeSchema;
		}

		public void setInitializeSchema(SchemaInitialization initializeSchema) {
			this.initializeSchema = initializeSchema;
		}

		public ArchiveBatch getBatch() {
			return this.batch;
		}

		/** When the archive table is created at startup, like Spring Boot's SQL initialization modes. */
		public enum SchemaInitialization {

			/** Only when the DataSource is an embedded (in-memory) database. */
			EMBEDDED,

			/** Always (the scripts create the table only when it is missing). */
			ALWAYS,

			/** Never: the table is managed elsewhere. */
			NEVER

		}

	}

	/**
	 * Archived messages are written in batches: a batch is written when it holds max-messages or when its
	 * oldest message has waited flush-interval, whichever comes first.
	 */
	public static class ArchiveBatch {

		/**
		 * Most messages written to the archive table in one transaction. The archive lets nsqd send twice
		 * as many (RDY), at most 2500, nsqd's default --max-rdy-count.
		 */
		private int maxMessages = 500;

		/**
		 * Longest time an archived message waits for its batch to fill before the batch is written.
		 */
		private Duration flushInterval = Duration.ofMillis(250);

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = RangeChecks.between("nsq.archive.batch.max-messages", 1, 2500, maxMessages);
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = positive("archive.batch.flush-interval", flushInterval);
		}

	}

}

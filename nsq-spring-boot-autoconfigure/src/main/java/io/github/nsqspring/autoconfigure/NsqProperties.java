package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.support.NsqNames;
import io.github.nsqspring.support.SqlNames;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the NSQ starter, bound from {@code nsq.*}. A value that cannot be converted or that
 * is out of range fails startup with a message naming the property.
 */
@ConfigurationProperties("nsq")
public class NsqProperties {

	/**
	 * HTTP addresses (host:port) of nsqlookupd. When set, consumers discover the nsqd that hold their
	 * topic through them; when empty, consumers connect to nsq.nsqd-addresses directly.
	 */
	private List<String> lookupdAddresses = new ArrayList<>();

	/**
	 * TCP addresses (host:port) of nsqd. The template publishes to the first (primary) and fails over to
	 * the second; consumers connect to all of them when no lookupd address is set.
	 */
	private List<String> nsqdAddresses = new ArrayList<>(List.of("127.0.0.1:4150"));

	/**
	 * HTTP addresses (host:port) of nsqd, for the health check's /ping. Empty means each nsqd TCP address
	 * with the port plus one (nsqd's default layout: 4150 for TCP, 4151 for HTTP).
	 */
	private List<String> nsqdHttpAddresses = new ArrayList<>();

	private final Delay delay = new Delay();

	private final Consumer consumer = new Consumer();

	private final Producer producer = new Producer();

	private final Archive archive = new Archive();

	public List<String> getLookupdAddresses() {
		return this.lookupdAddresses;
	}

	public void setLookupdAddresses(List<String> lookupdAddresses) {
		this.lookupdAddresses = hostsAndPorts("lookupd-addresses", lookupdAddresses);
	}

	public List<String> getNsqdAddresses() {
		return this.nsqdAddresses;
	}

	public void setNsqdAddresses(List<String> nsqdAddresses) {
		this.nsqdAddresses = hostsAndPorts("nsqd-addresses", nsqdAddresses);
	}

	public List<String> getNsqdHttpAddresses() {
		return this.nsqdHttpAddresses;
	}

	public void setNsqdHttpAddresses(List<String> nsqdHttpAddresses) {
		this.nsqdHttpAddresses = hostsAndPorts("nsqd-http-addresses", nsqdHttpAddresses);
	}

	/** The configured HTTP addresses of nsqd, or each TCP address with the port plus one. */
	public List<String> determineNsqdHttpAddresses() {
		if (!this.nsqdHttpAddresses.isEmpty()) {
			return this.nsqdHttpAddresses;
		}
		return this.nsqdAddresses.stream().map(NsqProperties::httpAddressOf).toList();
	}

	private static String httpAddressOf(String tcpAddress) {
		int colon = tcpAddress.lastIndexOf(':');
		return tcpAddress.substring(0, colon) + ":" + (Integer.parseInt(tcpAddress.substring(colon + 1)) + 1);
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

	/** Checks that every address is {@code host:port} with a port from 1 to 65535. */
	static List<String> hostsAndPorts(String property, List<String> addresses) {
		List<String> trimmed = new ArrayList<>();
		for (String address : addresses) {
			String value = address.trim();
			int colon = value.lastIndexOf(':');
			int port = -1;
			if (colon > 0 && colon < value.length() - 1) {
				try {
					port = Integer.parseInt(value.substring(colon + 1));
				}
				catch (NumberFormatException ex) {
					port = -1;
				}
			}
			if (port < 1 || port > 65535) {
				throw new IllegalArgumentException("nsq." + property + " contains '" + address
						+ "', which is not host:port with a port from 1 to 65535");
			}
			trimmed.add(value);
		}
		return trimmed;
	}

	static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("nsq." + property + " must be a positive duration, not " + value);
		}
		return value;
	}

	static int atLeast(String property, int minimum, int value) {
		if (value < minimum) {
			throw new IllegalArgumentException("nsq." + property + " must be at least " + minimum + ", not " + value);
		}
		return value;
	}

	static DataSize bytes(String property, DataSize value) {
		if (value == null || value.toBytes() < 1 || value.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"nsq." + property + " must be between 1B and " + Integer.MAX_VALUE + "B, not " + value);
		}
		return value;
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
		private String defaultChannel;

		/**
		 * Handler threads per listener container.
		 */
		private int concurrency = 1;

		/**
		 * Messages nsqd may send a container before it finishes any (RDY). Empty means equal to the
		 * container's concurrency.
		 */
		private Integer maxInFlight;

		/**
		 * Deliveries of one message before it goes to the dead-letter path.
		 */
		private int maxAttempts = 5;

		/**
		 * Interval of nsqlookupd polls that discover new nsqd for a topic.
		 */
		private Duration lookupdPollInterval = Duration.ofSeconds(15);

		/**
		 * How long a stopping container waits for running handlers before it requeues their messages.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(25);

		/**
		 * Whether to TOUCH messages whose handler runs longer than half of nsqd's message timeout.
		 */
		private boolean autoTouch = true;

		/**
		 * Whether to finish a message with an empty body without calling the handler.
		 */
		private boolean skipEmptyMessages = true;

		/**
		 * Topic that receives messages whose attempts are exhausted or whose payload cannot be converted,
		 * when no NsqDeadLetterHandler bean exists. "{topic}" is replaced by the listener's topic, e.g.
		 * "{topic}.dead". Empty means log at ERROR and finish.
		 */
		private String deadLetterTopic;

		/**
		 * Worker id (0-1023) of the snowflake ids of listener containers. Empty means derived from the
		 * host name and process id.
		 */
		private Integer workerId;

		private final Backoff backoff = new Backoff();

		public String getDefaultChannel() {
			return this.defaultChannel;
		}

		public void setDefaultChannel(String defaultChannel) {
			this.defaultChannel = defaultChannel;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = atLeast("consumer.concurrency", 1, concurrency);
		}

		public Integer getMaxInFlight() {
			return this.maxInFlight;
		}

		public void setMaxInFlight(Integer maxInFlight) {
			this.maxInFlight = (maxInFlight != null) ? atLeast("consumer.max-in-flight", 1, maxInFlight) : null;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = atLeast("consumer.max-attempts", 1, maxAttempts);
		}

		public Duration getLookupdPollInterval() {
			return this.lookupdPollInterval;
		}

		public void setLookupdPollInterval(Duration lookupdPollInterval) {
			this.lookupdPollInterval = positive("consumer.lookupd-poll-interval", lookupdPollInterval);
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = positive("consumer.shutdown-timeout", shutdownTimeout);
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

		public String getDeadLetterTopic() {
			return this.deadLetterTopic;
		}

		public void setDeadLetterTopic(String deadLetterTopic) {
			this.deadLetterTopic = deadLetterTopic;
		}

		public Integer getWorkerId() {
			return this.workerId;
		}

		public void setWorkerId(Integer workerId) {
			if (workerId != null && (workerId < 0 || workerId > 1023)) {
				throw new IllegalArgumentException("nsq.consumer.worker-id must be between 0 and 1023, not " + workerId);
			}
			this.workerId = workerId;
		}

		public Backoff getBackoff() {
			return this.backoff;
		}

	}

	/** Requeue delay after a failed attempt: {@code initial * 2^(attempts-1)}, capped at {@code max}. */
	public static class Backoff {

		/**
		 * Requeue delay after the first failed attempt.
		 */
		private Duration initial = Duration.ofSeconds(1);

		/**
		 * Longest requeue delay.
		 */
		private Duration max = Duration.ofSeconds(60);

		public Duration getInitial() {
			return this.initial;
		}

		public void setInitial(Duration initial) {
			this.initial = positive("consumer.backoff.initial", initial);
		}

		public Duration getMax() {
			return this.max;
		}

		public void setMax(Duration max) {
			this.max = positive("consumer.backoff.max", max);
		}

	}

	/** Settings of the {@code NsqTemplate} connections. */
	public static class Producer {

		/**
		 * Longest wait for nsqd's answer to a publish, and for a connection to open. A publish that takes
		 * longer fails with NsqPublishException.
		 */
		private Duration timeout = Duration.ofSeconds(5);

		/**
		 * Publisher connections per nsqd, so that concurrent senders do not queue behind one another.
		 */
		private int connections = 2;

		/**
		 * Largest message body nsqd accepts; must match nsqd's --max-msg-size (nsqd does not report it over
		 * TCP). Larger payloads are rejected before sending.
		 */
		private DataSize maxMessageSize = DataSize.ofBytes(1048576);

		/**
		 * Largest MPUB body nsqd accepts; must match nsqd's --max-body-size. Larger batches are rejected
		 * before sending.
		 */
		private DataSize maxBodySize = DataSize.ofBytes(5242880);

		/**
		 * Longest DPUB delay nsqd accepts; must match nsqd's --max-req-timeout. Longer delays are rejected
		 * before sending.
		 */
		private Duration maxDeferral = Duration.ofHours(1);

		/**
		 * How long a connection that had to use the failover nsqd is kept before the template tries the
		 * primary again.
		 */
		private Duration failbackInterval = Duration.ofSeconds(60);

		/**
		 * Interval of nsqd's heartbeats on a publisher connection, at least 1s and at most nsqd's
		 * --max-heartbeat-interval. The template answers them; a connection that hears nothing from nsqd
		 * for two intervals is closed and reopened by the next publish.
		 */
		private Duration heartbeatInterval = Duration.ofSeconds(30);

		/**
		 * Most bytes of message bodies queued or awaiting nsqd's answer, per template. Beyond it a publish
		 * (sync or async) waits for room, at most the timeout, then fails with NsqPublishException.
		 */
		private DataSize maxPending = DataSize.ofMegabytes(64);

		private final Batch batch = new Batch();

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
			if (heartbeatInterval == null || heartbeatInterval.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new IllegalArgumentException(
						"nsq.producer.heartbeat-interval must be at least 1s, not " + heartbeatInterval);
			}
			this.heartbeatInterval = heartbeatInterval;
		}

		public DataSize getMaxPending() {
			return this.maxPending;
		}

		public void setMaxPending(DataSize maxPending) {
			this.maxPending = bytes("producer.max-pending", maxPending);
		}

		public Batch getBatch() {
			return this.batch;
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
		private int maxMessages = 200;

		/**
		 * Largest MPUB body a merge may form; at most nsq.producer.max-body-size. A larger batch is sent
		 * as it is.
		 */
		private DataSize maxSize = DataSize.ofKilobytes(256);

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
			if (maxMessages < 1 || maxMessages > 2500) {
				throw new IllegalArgumentException("nsq.archive.batch.max-messages must be between 1 and 2500, not " + maxMessages);
			}
			this.maxMessages = maxMessages;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = positive("archive.batch.flush-interval", flushInterval);
		}

	}

}

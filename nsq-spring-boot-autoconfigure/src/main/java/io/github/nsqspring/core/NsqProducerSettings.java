package io.github.nsqspring.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.nsqspring.support.RangeChecks;

/**
 * Settings of an {@link NsqTemplate}'s connections.
 *
 * @param nsqdAddresses TCP addresses (host:port) of nsqd: the first is the primary, the second the
 * failover; with more than two, connections are spread round robin over all of them
 * @param timeout longest wait for a connection to open and for nsqd to acknowledge a publish
 * @param connections connections per preferred nsqd
 * @param maxMessageSize largest message body nsqd accepts (its {@code --max-msg-size})
 * @param maxBodySize largest MPUB body nsqd accepts (its {@code --max-body-size})
 * @param maxDeferral longest DPUB delay nsqd accepts (its {@code --max-req-timeout})
 * @param failbackInterval how long a connection that landed on another nsqd than its preferred one is
 * used before it is closed, so the next publish tries the preferred nsqd again
 * @param batchMaxMessages most messages of publishes queued on one connection (single ones and batches
 * of one topic) that are merged into one MPUB (1 turns this off; a larger batch is sent as it is)
 * @param batchMaxBytes largest MPUB body such a merge may form
 * @param heartbeatInterval interval of nsqd's heartbeats, asked for in IDENTIFY (at least 1 s and at most
 * nsqd's {@code --max-heartbeat-interval}); a connection that hears nothing from nsqd for two intervals
 * is closed
 * @param maxPending most bytes of message bodies queued or awaiting nsqd's answer; a publish beyond it
 * waits for room until its timeout, then fails
 * @param compression compression of the connections, asked of nsqd in IDENTIFY (snappy needs
 * {@code org.xerial.snappy:snappy-java}); a connection to an nsqd that refuses it fails
 * @param deflateLevel level (1-9) of the deflate compression of what the template sends, when
 * {@code compression} is deflate
 */
public record NsqProducerSettings(List<String> nsqdAddresses, Duration timeout, int connections, int maxMessageSize,
		int maxBodySize, Duration maxDeferral, Duration failbackInterval, int batchMaxMessages, int batchMaxBytes,
		Duration heartbeatInterval, long maxPending, NsqCompression compression, int deflateLevel) {

	/** Default publish timeout. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	/** Default connections per nsqd. */
	public static final int DEFAULT_CONNECTIONS = 2;

	/** nsqd's default {@code --max-msg-size}. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 1024 * 1024;

	/** nsqd's default {@code --max-body-size}. */
	public static final int DEFAULT_MAX_BODY_SIZE = 5 * 1024 * 1024;

	/** nsqd's default {@code --max-req-timeout}. */
	public static final Duration DEFAULT_MAX_DEFERRAL = Duration.ofHours(1);

	/** Default failback interval. */
	public static final Duration DEFAULT_FAILBACK_INTERVAL = Duration.ofSeconds(60);

	/** Default most messages merged into one MPUB. */
	public static final int DEFAULT_BATCH_MAX_MESSAGES = 200;

	/** Default largest MPUB body a merge may form. */
	public static final int DEFAULT_BATCH_MAX_BYTES = 256 * 1024;

	/** Default heartbeat interval. */
	public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(30);

	/** Default most bytes of message bodies queued or awaiting nsqd's answer. */
	public static final long DEFAULT_MAX_PENDING = 64L * 1024 * 1024;

	/** Default deflate level: nsqd's default (and most common {@code --max-deflate-level}). */
	public static final int DEFAULT_DEFLATE_LEVEL = 6;

	public NsqProducerSettings {
		nsqdAddresses = List.copyOf(nsqdAddresses);
		if (nsqdAddresses.isEmpty()) {
			throw new IllegalArgumentException("At least one nsqd address is needed to publish");
		}
		nsqdAddresses.forEach(NsqAddress::parse);
		RangeChecks.positive("timeout", timeout);
		RangeChecks.positive("maxDeferral", maxDeferral);
		RangeChecks.positive("failbackInterval", failbackInterval);
		RangeChecks.atLeast("connections", 1, connections);
		RangeChecks.atLeast("maxMessageSize", 1, maxMessageSize);
		RangeChecks.atLeast("batchMaxMessages", 1, batchMaxMessages);
		if (maxBodySize < maxMessageSize + 8) {
			throw new IllegalArgumentException("maxBodySize (" + maxBodySize
					+ ") must hold an MPUB of one message of maxMessageSize (" + maxMessageSize + " + 8 bytes)");
		}
		RangeChecks.atLeast("heartbeatInterval", Duration.ofSeconds(1), heartbeatInterval);
		RangeChecks.atLeast("maxPending", 1, maxPending);
		compression = Objects.requireNonNull(compression, "compression must not be null").requireAvailable();
		RangeChecks.between("deflateLevel", 1, 9, deflateLevel);
		if (batchMaxBytes < 1 || batchMaxBytes > maxBodySize) {
			throw new IllegalArgumentException(
					"batchMaxBytes must be between 1 and maxBodySize (" + maxBodySize + "), not " + batchMaxBytes);
		}
	}

	/**
	 * Settings with nsqd's default limits (1 MiB messages, 5 MiB MPUB bodies, 1 h delays), a 5 s
	 * timeout, 2 connections, failback after 60 s, batches of up to 200 messages or 256 KiB and heartbeats
	 * every 30 s, at most 64 MiB of message bodies pending, and no compression (deflate level 6 when
	 * switched to deflate).
	 */
	public static NsqProducerSettings of(List<String> nsqdAddresses) {
		return new NsqProducerSettings(nsqdAddresses, DEFAULT_TIMEOUT, DEFAULT_CONNECTIONS, DEFAULT_MAX_MESSAGE_SIZE,
				DEFAULT_MAX_BODY_SIZE, DEFAULT_MAX_DEFERRAL, DEFAULT_FAILBACK_INTERVAL, DEFAULT_BATCH_MAX_MESSAGES,
				DEFAULT_BATCH_MAX_BYTES, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MAX_PENDING, NsqCompression.NONE,
				DEFAULT_DEFLATE_LEVEL);
	}

	/** These settings with another compression and deflate level. */
	public NsqProducerSettings withCompression(NsqCompression compression, int deflateLevel) {
		return new NsqProducerSettings(this.nsqdAddresses, this.timeout, this.connections, this.maxMessageSize,
				this.maxBodySize, this.maxDeferral, this.failbackInterval, this.batchMaxMessages, this.batchMaxBytes,
				this.heartbeatInterval, this.maxPending, compression, deflateLevel);
	}

}

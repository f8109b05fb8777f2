package io.github.nsqspring.core;

import java.time.Duration;
import java.util.List;

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
 */
public record NsqProducerSettings(List<String> nsqdAddresses, Duration timeout, int connections, int maxMessageSize,
		int maxBodySize, Duration maxDeferral, Duration failbackInterval, int batchMaxMessages, int batchMaxBytes,
		Duration heartbeatInterval, long maxPending) {

	public NsqProducerSettings {
		nsqdAddresses = List.copyOf(nsqdAddresses);
		if (nsqdAddresses.isEmpty()) {
			throw new IllegalArgumentException("At least one nsqd address is needed to publish");
		}
		nsqdAddresses.forEach(NsqAddress::parse);
		requirePositive("timeout", timeout);
		requirePositive("maxDeferral", maxDeferral);
		requirePositive("failbackInterval", failbackInterval);
		requireAtLeastOne("connections", connections);
		requireAtLeastOne("maxMessageSize", maxMessageSize);
		requireAtLeastOne("batchMaxMessages", batchMaxMessages);
		if (maxBodySize < maxMessageSize + 8) {
			throw new IllegalArgumentException("maxBodySize (" + maxBodySize
					+ ") must hold an MPUB of one message of maxMessageSize (" + maxMessageSize + " + 8 bytes)");
		}
		if (heartbeatInterval == null || heartbeatInterval.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("heartbeatInterval must be at least 1s, not " + heartbeatInterval);
		}
		if (maxPending < 1) {
			throw new IllegalArgumentException("maxPending must be at least 1 byte, not " + maxPending);
		}
		if (batchMaxBytes < 1 || batchMaxBytes > maxBodySize) {
			throw new IllegalArgumentException(
					"batchMaxBytes must be between 1 and maxBodySize (" + maxBodySize + "), not " + batchMaxBytes);
		}
	}

	/**
	 * Settings with nsqd's default limits (1 MiB messages, 5 MiB MPUB bodies, 1 h delays), a 5 s
	 * timeout, 2 connections, failback after 60 s, batches of up to 200 messages or 256 KiB and heartbeats
	 * every 30 s, and at most 64 MiB of message bodies pending.
	 */
	public static NsqProducerSettings of(List<String> nsqdAddresses) {
		return new NsqProducerSettings(nsqdAddresses, Duration.ofSeconds(5), 2, 1024 * 1024, 5 * 1024 * 1024,
				Duration.ofHours(1), Duration.ofSeconds(60), 200, 256 * 1024, Duration.ofSeconds(30), 64L * 1024 * 1024);
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be a positive duration, not " + value);
		}
	}

	private static void requireAtLeastOne(String name, int value) {
		if (value < 1) {
			throw new IllegalArgumentException(name + " must be at least 1, not " + value);
		}
	}

}

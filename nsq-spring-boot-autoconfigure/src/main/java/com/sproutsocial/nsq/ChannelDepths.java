package com.sproutsocial.nsq;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * What nsqd's {@code /stats} says of the container's channel on each nsqd, for the {@link ReadyDistributor}:
 * implemented outside this package (over HTTP), so this package needs no type of the project's but this one.
 * Calls never block; each may start a new read of that nsqd when the last is older than the distributor's
 * period.
 */
@NullMarked
public interface ChannelDepths {

	/**
	 * The channel's last known depth on an nsqd.
	 * @param nsqdAddress the nsqd's TCP address, {@code host:port}
	 * @return its last answer, or null when there is none (not read yet, or its HTTP port does not answer)
	 */
	@Nullable Depth depth(String nsqdAddress);

	/** Stops reading; later calls answer null. */
	void close();

	/**
	 * One answer of nsqd.
	 * @param messages messages ready to be delivered on the channel (nsqd's {@code depth}; 0 when nsqd has no such channel)
	 * @param requestedNanos {@link System#nanoTime()} when the request was sent
	 */
	record Depth(long messages, long requestedNanos) {
	}

}

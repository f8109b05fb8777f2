package io.github.nsqspring.actuate;

import java.util.Map;

import io.github.nsqspring.core.NsqdStats;
import org.jspecify.annotations.Nullable;

/**
 * What nsqd reports for one listener's channel, as the {@link ChannelBacklogMonitor} last read it: the
 * counts summed over the nsqd the listener consumes from that answered (null when none did), and each
 * nsqd's own answer by its HTTP address.
 * @param depth messages ready to be delivered, in memory and on disk
 * @param inFlight messages delivered to consumers (of any application) and not yet finished or requeued
 * @param deferred messages requeued with a delay or published deferred, not yet due
 * @param requeued REQ commands nsqd received for the channel: a sum that never decreases, also when an
 * nsqd restarts or the channel is created again (nsqd's own count starts from 0 then)
 * @param timedOut messages nsqd gave to another consumer after the message timeout: summed the same way
 * @param nsqd each nsqd's counts, by HTTP address
 * @param readAt when the monitor read them (ISO-8601), or null before its first read
 */
public record ChannelBacklog(@Nullable Long depth, @Nullable Long inFlight, @Nullable Long deferred, long requeued,
		long timedOut, Map<String, Nsqd> nsqd, @Nullable String readAt) {

	/** Before the first read: no counts. */
	static final ChannelBacklog UNREAD = new ChannelBacklog(null, null, null, 0, 0, Map.of(), null);

	/**
	 * One nsqd's counts of the channel as nsqd keeps them (its requeue and timeout counts start from 0 when
	 * it restarts), all 0 when it has no such channel; or, when it did not answer, why not.
	 */
	public record Nsqd(@Nullable Long depth, @Nullable Long backendDepth, @Nullable Long inFlight, @Nullable Long deferred,
			@Nullable Long requeued, @Nullable Long timedOut, @Nullable Integer clients, @Nullable String error) {

		static Nsqd of(NsqdStats.@Nullable Channel channel) {
			if (channel == null) {
				return new Nsqd(0L, 0L, 0L, 0L, 0L, 0L, 0, null);
			}
			return new Nsqd(channel.depth(), channel.backendDepth(), channel.inFlight(), channel.deferred(), channel.requeued(),
					channel.timedOut(), channel.clients(), null);
		}

		static Nsqd failed(String error) {
			return new Nsqd(null, null, null, null, null, null, null, error);
		}

	}

}

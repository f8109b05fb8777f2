package io.github.nsqspring.actuate;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.nsqspring.core.NsqdStats;
import org.jspecify.annotations.Nullable;

/**
 * One listener's channel backlog as the {@link ChannelBacklogMonitor} last read it from the nsqd the
 * listener consumes from: the values of its {@code nsq.channel.*} meters and its part of the {@code nsq}
 * endpoint. The gauges read {@link Double#NaN} while no nsqd of the listener answers (unknown, not 0).
 */
public final class ListenerBacklog {

	private final String listener;

	private final String topic;

	private final String channel;

	private final NsqdCounterSum requeued = new NsqdCounterSum();

	private final NsqdCounterSum timedOut = new NsqdCounterSum();

	private volatile ChannelBacklog current = ChannelBacklog.UNREAD;

	private Set<String> nsqd = Set.of();

	ListenerBacklog(String listener, String topic, String channel) {
		this.listener = listener;
		this.topic = topic;
		this.channel = channel;
	}

	/**
	 * Takes one read: the counts of the listener's nsqd that answered, and why the others did not.
	 * @param nsqd HTTP addresses of the listener's nsqd
	 * @param answers what each nsqd that answered reported, by HTTP address
	 * @param failures why each other nsqd did not answer, by HTTP address
	 * @param readAt when
	 */
	void update(Set<String> nsqd, Map<String, NsqdStats> answers, Map<String, String> failures, Instant readAt) {
		this.nsqd = Set.copyOf(nsqd);
		Map<String, ChannelBacklog.Nsqd> byNsqd = new TreeMap<>();
		long depth = 0;
		long inFlight = 0;
		long deferred = 0;
		boolean anyAnswer = false;
		for (String address : nsqd) {
			NsqdStats stats = answers.get(address);
			if (stats == null) {
				byNsqd.put(address, ChannelBacklog.Nsqd.failed(failures.getOrDefault(address, "not read")));
				continue;
			}
			NsqdStats.Channel counts = stats.channel(this.topic, this.channel);
			byNsqd.put(address, ChannelBacklog.Nsqd.of(counts));
			if (counts != null) {
				depth += counts.depth();
				inFlight += counts.inFlight();
				deferred += counts.deferred();
			}
			this.requeued.observe(address, (counts != null) ? counts.requeued() : 0);
			this.timedOut.observe(address, (counts != null) ? counts.timedOut() : 0);
			anyAnswer = true;
		}
		this.current = new ChannelBacklog(anyAnswer ? depth : null, anyAnswer ? inFlight : null, anyAnswer ? deferred : null,
				this.requeued.total(), this.timedOut.total(), byNsqd, readAt.toString());
	}

	/** HTTP addresses of the nsqd of the last read. */
	Set<String> nsqd() {
		return this.nsqd;
	}

	public String listener() {
		return this.listener;
	}

	public String topic() {
		return this.topic;
	}

	public String channel() {
		return this.channel;
	}

	/** The last read. */
	public ChannelBacklog current() {
		return this.current;
	}

	/** Messages ready to be delivered, summed over the nsqd that answered; NaN when none did. */
	public double depth() {
		return orNaN(this.current.depth());
	}

	public double inFlight() {
		return orNaN(this.current.inFlight());
	}

	public double deferred() {
		return orNaN(this.current.deferred());
	}

	/** Requeues of the channel on the listener's nsqd, a total that never decreases. */
	public double requeued() {
		return this.requeued.total();
	}

	/** Timeouts of the channel on the listener's nsqd, a total that never decreases. */
	public double timedOut() {
		return this.timedOut.total();
	}

	private static double orNaN(@Nullable Long value) {
		return (value != null) ? value : Double.NaN;
	}

}

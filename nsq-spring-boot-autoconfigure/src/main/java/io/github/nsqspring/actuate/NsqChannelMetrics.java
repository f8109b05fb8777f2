package io.github.nsqspring.actuate;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters of each listener's channel backlog, as nsqd reports it, summed over the nsqd the
 * listener consumes from and tagged {@code listener}, {@code topic}, {@code channel}:
 * <ul>
 * <li>{@code nsq.channel.depth} gauge: messages ready to be delivered, in memory and on disk;</li>
 * <li>{@code nsq.channel.in-flight} gauge: messages delivered to the channel's consumers and not yet
 * finished or requeued;</li>
 * <li>{@code nsq.channel.deferred} gauge: messages requeued with a delay or published deferred, not yet due;</li>
 * <li>{@code nsq.channel.requeued} and {@code nsq.channel.timed-out} function counters: requeues and
 * message timeouts, never decreasing (also when an nsqd restarts).</li>
 * </ul>
 * The gauges read NaN while no nsqd of the listener answers. The values are those of the
 * {@link ChannelBacklogMonitor}'s last read: reading a meter never waits for nsqd.
 */
public class NsqChannelMetrics {

	private final MeterRegistry registry;

	public NsqChannelMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Registers the meters of one listener's channel. */
	public void register(ListenerBacklog backlog) {
		Tags tags = Tags.of("listener", backlog.listener(), "topic", backlog.topic(), "channel", backlog.channel());
		Gauge.builder("nsq.channel.depth", backlog, ListenerBacklog::depth)
			.tags(tags)
			.description("Messages of the listener's channel ready to be delivered, in memory and on disk, on the nsqd it consumes from")
			.strongReference(true)
			.register(this.registry);
		Gauge.builder("nsq.channel.in-flight", backlog, ListenerBacklog::inFlight)
			.tags(tags)
			.description("Messages of the listener's channel delivered to its consumers and not yet finished or requeued")
			.strongReference(true)
			.register(this.registry);
		Gauge.builder("nsq.channel.deferred", backlog, ListenerBacklog::deferred)
			.tags(tags)
			.description("Messages of the listener's channel requeued with a delay or published deferred, not yet due")
			.strongReference(true)
			.register(this.registry);
		FunctionCounter.builder("nsq.channel.requeued", backlog, ListenerBacklog::requeued)
			.tags(tags)
			.description("Requeues of messages of the listener's channel on the nsqd it consumes from")
			.register(this.registry);
		FunctionCounter.builder("nsq.channel.timed-out", backlog, ListenerBacklog::timedOut)
			.tags(tags)
			.description("Messages of the listener's channel that nsqd redelivered because their consumer did not answer in time")
			.register(this.registry);
	}

}

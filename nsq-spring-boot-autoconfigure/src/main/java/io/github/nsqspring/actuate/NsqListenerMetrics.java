package io.github.nsqspring.actuate;

import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.ListenerStats;
import io.github.nsqspring.listener.MessageObserver;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Micrometer meters of the listener containers' counters, tagged {@code listener}, {@code topic},
 * {@code channel}:
 * <ul>
 * <li>{@code nsq.listener.in.flight} gauge: messages delivered and not yet finished or requeued;</li>
 * <li>{@code nsq.listener.requeued.on.shutdown} and {@code nsq.listener.dead.letters} counters.</li>
 * </ul>
 * The {@code nsq.listener} timer comes from the {@code nsq.listener} observation (see
 * {@link NsqObservationMeterFilter}). The meters of a container are registered once, when it is created.
 */
public class NsqListenerMetrics implements MessageObserver {

	private final MeterRegistry registry;

	public NsqListenerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void observe(ContainerProperties properties, ListenerStats stats) {
		Tags tags = Tags.of("listener", properties.getName(), "topic", properties.getTopic(), "channel", properties.getChannel());
		Gauge.builder("nsq.listener.in.flight", stats, ListenerStats::getInFlight)
			.tags(tags)
			.description("Messages delivered to the listener and not yet finished or requeued")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.requeued.on.shutdown", stats, ListenerStats::getRequeuedOnShutdown)
			.tags(tags)
			.description("Messages given back to nsqd unhandled (or cut off at the shutdown timeout) while the listener drained")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.dead.letters", stats, ListenerStats::getDeadLettered)
			.tags(tags)
			.description("Messages handed to the dead-letter handler")
			.register(this.registry);
	}

}

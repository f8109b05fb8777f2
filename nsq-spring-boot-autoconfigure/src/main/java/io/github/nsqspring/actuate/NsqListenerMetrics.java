package io.github.nsqspring.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.MessageObserver;
import io.github.nsqspring.listener.MessageOutcome;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of the listener containers, tagged {@code listener}, {@code topic}, {@code channel}:
 * <ul>
 * <li>{@code nsq.listener} timer, also tagged {@code result} (finished, requeued, dead-lettered,
 * requeued-on-shutdown): time from the start of handling to the message's outcome;</li>
 * <li>{@code nsq.listener.in.flight} gauge: messages delivered and not yet finished or requeued;</li>
 * <li>{@code nsq.listener.requeued.on.shutdown} and {@code nsq.listener.dead.letters} counters.</li>
 * </ul>
 */
public class NsqListenerMetrics implements MessageObserver {

	private final MeterRegistry registry;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	public NsqListenerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void containerCreated(NsqListenerContainer container) {
		Tags tags = tags(container);
		Gauge.builder("nsq.listener.in.flight", container, NsqListenerContainer::getInFlightCount)
			.tags(tags)
			.description("Messages delivered to the listener and not yet finished or requeued")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.requeued.on.shutdown", container, NsqListenerContainer::getRequeuedOnShutdownCount)
			.tags(tags)
			.description("Messages given back to nsqd unhandled (or cut off at the shutdown timeout) while the listener drained")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.dead.letters", container, NsqListenerContainer::getDeadLetteredCount)
			.tags(tags)
			.description("Messages handed to the dead-letter handler")
			.register(this.registry);
	}

	@Override
	public void acknowledged(NsqListenerContainer container, NsqMessage message, MessageOutcome outcome, long nanos) {
		this.timers.computeIfAbsent(new TimerKey(container.getId(), outcome), (key) -> Timer.builder("nsq.listener")
			.tags(tags(container))
			.tag("result", outcome.tagValue())
			.description("Time from the start of handling an NSQ message to its outcome")
			.register(this.registry)).record(nanos, TimeUnit.NANOSECONDS);
	}

	private static Tags tags(NsqListenerContainer container) {
		return Tags.of("listener", container.getName(), "topic", container.getTopic(), "channel", container.getChannel());
	}

	private record TimerKey(long containerId, MessageOutcome outcome) {
	}

}

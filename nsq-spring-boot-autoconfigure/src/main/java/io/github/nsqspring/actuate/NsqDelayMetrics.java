package io.github.nsqspring.actuate;

import java.time.Duration;
import java.time.Instant;

import io.github.nsqspring.delay.DelayedMessageObserver;
import io.github.nsqspring.delay.RedisDelayedMessageStore;
import io.github.nsqspring.delay.ScheduledMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters of the durable delayed messages:
 * <ul>
 * <li>{@code nsq.delay.pending} gauge: messages scheduled and not published yet, of all topics (read
 * from Redis when the gauge is read; NaN while Redis cannot be reached);</li>
 * <li>{@code nsq.delay.published} counter, tagged {@code topic}: messages published by this instance;</li>
 * <li>{@code nsq.delay.lag} timer, tagged {@code topic}: publish time (nsqd's acknowledgement) minus due
 * time.</li>
 * </ul>
 */
public class NsqDelayMetrics implements DelayedMessageObserver {

	private final MeterRegistry registry;

	public NsqDelayMetrics(MeterRegistry registry, RedisDelayedMessageStore store) {
		this.registry = registry;
		Gauge.builder("nsq.delay.pending", store, NsqDelayMetrics::pending)
			.description("Delayed messages scheduled and not published yet")
			.register(registry);
	}

	private static double pending(RedisDelayedMessageStore store) {
		try {
			return store.pending();
		}
		catch (RuntimeException ex) {
			return Double.NaN;
		}
	}

	@Override
	public void published(ScheduledMessage message, Instant publishedAt) {
		Counter.builder("nsq.delay.published")
			.tag("topic", message.topic())
			.description("Delayed messages published")
			.register(this.registry)
			.increment();
		Timer.builder("nsq.delay.lag")
			.tag("topic", message.topic())
			.description("Time from a delayed message's due time to its publish")
			.register(this.registry)
			.record(Duration.between(message.dueAt(), publishedAt));
	}

}

package io.github.nsqspring.actuate;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.ListenerStats;
import io.github.nsqspring.listener.MessageObserver;
import io.github.nsqspring.listener.MessageOutcome;
import io.micrometer.core.instrument.DistributionSummary;
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
 * <li>{@code nsq.listener.backoff.level} gauge: flow backoff level, 0 at full RDY;</li>
 * <li>{@code nsq.listener.requeued.on.shutdown} and {@code nsq.listener.dead.letters} counters;</li>
 * <li>{@code nsq.listener.batch.size} distribution (batch listeners only): messages in each batch handed over.</li>
 * </ul>
 * The meters of a container are registered when it is created, except the {@code nsq.listener} timers of the
 * outcomes other than {@code finished}, which are registered when their outcome first happens; recording an
 * outcome is one array lookup and a timer update. A container with {@link ContainerProperties#isObservationEnabled()
 * observations} gets no timer here: its {@code nsq.listener} observations make it.
 */
public class NsqListenerMetrics implements MessageObserver {

	private final MeterRegistry registry;

	public NsqListenerMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public OutcomeObserver observe(ContainerProperties properties, ListenerStats stats) {
		Tags tags = Tags.of("listener", properties.getName(), "topic", properties.getTopic(), "channel", properties.getChannel());
		Gauge.builder("nsq.listener.in.flight", stats, ListenerStats::getInFlight)
			.tags(tags)
			.description("Messages delivered to the listener and not yet finished or requeued")
			.register(this.registry);
		Gauge.builder("nsq.listener.backoff.level", stats, ListenerStats::getBackoffLevel)
			.tags(tags)
			.description("Flow backoff level of the listener: 0 when it takes messages at its full RDY count")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.requeued.on.shutdown", stats, ListenerStats::getRequeuedOnShutdown)
			.tags(tags)
			.description("Messages given back to nsqd unhandled (or cut off at the shutdown timeout) while the listener drained")
			.register(this.registry);
		FunctionCounter.builder("nsq.listener.dead.letters", stats, ListenerStats::getDeadLettered)
			.tags(tags)
			.description("Messages handed to the dead-letter handler")
			.register(this.registry);
		DistributionSummary batchSizes = properties.isBatch() ? DistributionSummary.builder("nsq.listener.batch.size")
			.tags(tags)
			.baseUnit("messages")
			.description("Messages in each batch handed to a batch listener")
			.register(this.registry) : null;
		OutcomeTimers timers = properties.isObservationEnabled() ? null : new OutcomeTimers(this.registry, tags);
		if (timers == null && batchSizes == null) {
			return OutcomeObserver.NONE;
		}
		return new OutcomeObserver() {

			@Override
			public void acknowledged(NsqMessage message, MessageOutcome outcome, long nanos) {
				if (timers != null) {
					timers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
				}
			}

			@Override
			public void batchHandedOver(int size) {
				if (batchSizes != null) {
					batchSizes.record(size);
				}
			}

		};
	}

	/**
	 * The {@code nsq.listener} timers of one container, one per outcome: {@code finished} registered at once,
	 * the others when their outcome first happens (most containers never requeue or dead-letter, and each timer
	 * holds about 0.7 KiB).
	 */
	private static final class OutcomeTimers {

		private final MeterRegistry registry;

		private final Tags tags;

		private final AtomicReferenceArray<Timer> timers = new AtomicReferenceArray<>(MessageOutcome.values().length);

		OutcomeTimers(MeterRegistry registry, Tags tags) {
			this.registry = registry;
			this.tags = tags;
			get(MessageOutcome.FINISHED);
		}

		Timer get(MessageOutcome outcome) {
			Timer timer = this.timers.get(outcome.ordinal());
			if (timer == null) {
				// registering is idempotent: a race registers the same timer twice
				timer = Timer.builder("nsq.listener")
					.tags(this.tags)
					.tag("result", outcome.tagValue())
					.description("Time from the start of handling an NSQ message to its outcome")
					.register(this.registry);
				this.timers.set(outcome.ordinal(), timer);
			}
			return timer;
		}

	}

}

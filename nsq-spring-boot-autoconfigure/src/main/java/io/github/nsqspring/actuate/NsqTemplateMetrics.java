package io.github.nsqspring.actuate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.PublishObserver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code nsq.template} timer: time from a publish call to nsqd's answer, tagged {@code topic},
 * {@code operation} (the {@code NsqOperations} method) and {@code result} ({@code success} or
 * {@code failure}); and the {@code nsq.template.pending} gauge: bytes of message bodies queued or awaiting
 * nsqd's answer (at most {@code nsq.producer.max-pending}).
 */
public class NsqTemplateMetrics implements PublishObserver {

	private final MeterRegistry registry;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	public NsqTemplateMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Registers the {@code nsq.template.pending} gauge of the template, with or without the timer. */
	public static void bindPending(MeterRegistry registry, NsqTemplate template) {
		Gauge.builder("nsq.template.pending", template, NsqTemplate::getPendingBytes)
			.baseUnit("bytes")
			.description("Bytes of message bodies an NsqTemplate has queued or awaits nsqd's answer for")
			.register(registry);
	}

	@Override
	public void published(String topic, String operation, @Nullable Throwable failure, long nanos) {
		String result = (failure != null) ? "failure" : "success";
		this.timers.computeIfAbsent(new TimerKey(topic, operation, result), (key) -> Timer.builder("nsq.template")
			.tag("topic", topic)
			.tag("operation", operation)
			.tag("result", result)
			.description("Time from an NsqTemplate publish to nsqd's answer")
			.register(this.registry)).record(nanos, TimeUnit.NANOSECONDS);
	}

	private record TimerKey(String topic, String operation, String result) {
	}

}

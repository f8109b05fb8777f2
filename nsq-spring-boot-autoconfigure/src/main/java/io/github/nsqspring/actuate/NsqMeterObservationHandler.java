package io.github.nsqspring.actuate;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.github.nsqspring.observation.NsqTemplateObservationContext;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.MeterObservationHandler;
import io.micrometer.observation.Observation;

/**
 * Makes the {@code nsq.listener} and {@code nsq.template} timers of the observations: a timer named after
 * the observation, tagged with its low-cardinality key values (renamed by {@link NsqObservationMeterFilter})
 * and {@code error} (the exception's simple class name, or {@code none}). Ordered before Micrometer's
 * {@code DefaultMeterObservationHandler}, which would otherwise take these contexts: that one builds the
 * tags and looks the meters up (a timer and a long task timer) for every message, several times the cost
 * of handling a message in a listener that does little; this one looks each timer up once and keeps it.
 */
public class NsqMeterObservationHandler implements MeterObservationHandler<Observation.Context> {

	private static final String START = NsqMeterObservationHandler.class.getName() + ".start";

	private final MeterRegistry registry;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	public NsqMeterObservationHandler(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof NsqListenerObservationContext || context instanceof NsqTemplateObservationContext;
	}

	@Override
	public void onStart(Observation.Context context) {
		context.put(START, this.registry.config().clock().monotonicTime());
	}

	@Override
	public void onStop(Observation.Context context) {
		long start = context.getRequired(START);
		Throwable error = context.getError();
		// a started NSQ observation has its name (nsq.listener, nsq.template)
		TimerKey key = new TimerKey(Objects.requireNonNull(context.getName()), context.getLowCardinalityKeyValues(),
				(error != null) ? error.getClass().getSimpleName() : "none");
		this.timers.computeIfAbsent(key, this::register)
			.record(this.registry.config().clock().monotonicTime() - start, TimeUnit.NANOSECONDS);
	}

	private Timer register(TimerKey key) {
		Tags tags = Tags.of("error", key.error());
		for (KeyValue keyValue : key.keyValues()) {
			tags = tags.and(keyValue.getKey(), keyValue.getValue());
		}
		return Timer.builder(key.name()).tags(tags).register(this.registry);
	}

	private record TimerKey(String name, KeyValues keyValues, String error) {
	}

}

package io.github.nsqspring.core;

import java.util.Map;

import io.github.nsqspring.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.observation.NsqTemplateObservation;
import io.github.nsqspring.observation.NsqTemplateObservationContext;
import io.github.nsqspring.observation.NsqTemplateObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Starts the {@code nsq.template} observation of each publish and stops it with nsqd's answer or the
 * failure. With a no-op registry it creates nothing.
 */
final class PublishObservations {

	private PublishObservations() {
	}

	/**
	 * A started observation of the publish, or {@link Observation#NOOP} when the registry is a no-op.
	 * @param convention the application's convention, or null for the default
	 * @param headers the envelope headers the trace context goes into, or null without an envelope
	 */
	static Observation start(ObservationRegistry registry, @Nullable NsqTemplateObservationConvention convention, String topic,
			String operation, @Nullable Map<String, String> headers) {
		if (registry.isNoop()) {
			return Observation.NOOP;
		}
		NsqTemplateObservationContext context = new NsqTemplateObservationContext(topic, operation, headers);
		return NsqTemplateObservation.TEMPLATE_OBSERVATION
			.observation(convention, DefaultNsqTemplateObservationConvention.INSTANCE, () -> context, registry)
			.start();
	}

	/** Stops the observation: a success when failure is null, else a failure with that error. */
	static void stop(Observation observation, @Nullable Throwable failure) {
		if (observation.isNoop()) {
			return;
		}
		NsqTemplateObservationContext context = (NsqTemplateObservationContext) observation.getContext();
		if (failure != null) {
			context.setResult("failure");
			observation.error(failure);
		}
		else {
			context.setResult("success");
		}
		observation.stop();
	}

}

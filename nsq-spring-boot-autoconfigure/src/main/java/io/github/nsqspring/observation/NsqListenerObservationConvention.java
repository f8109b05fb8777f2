package io.github.nsqspring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@code nsq.listener} observation and its key values; declare a bean of this type to change
 * them (the auto-configuration applies it to every listener container).
 */
public interface NsqListenerObservationConvention extends ObservationConvention<NsqListenerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NsqListenerObservationContext;
	}

	@Override
	default String getName() {
		return "nsq.listener";
	}

}

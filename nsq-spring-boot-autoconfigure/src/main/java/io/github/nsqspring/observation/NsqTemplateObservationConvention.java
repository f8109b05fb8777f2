package io.github.nsqspring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the {@code nsq.template} observation and its key values; declare a bean of this type to change
 * them (the auto-configuration applies it to the template).
 */
public interface NsqTemplateObservationConvention extends ObservationConvention<NsqTemplateObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NsqTemplateObservationContext;
	}

	@Override
	default String getName() {
		return "nsq.template";
	}

}

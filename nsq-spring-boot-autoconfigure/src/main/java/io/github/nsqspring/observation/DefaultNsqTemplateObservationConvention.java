package io.github.nsqspring.observation;

import io.github.nsqspring.observation.NsqTemplateObservation.TemplateLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NsqTemplateObservationConvention}: topic, operation and result ({@code success} or
 * {@code failure}) as low-cardinality keys, with {@code messaging.system=nsq} and
 * {@code messaging.destination.name}. Contextual name {@code "<topic> send"}.
 */
public class DefaultNsqTemplateObservationConvention implements NsqTemplateObservationConvention {

	/** The shared instance. */
	public static final DefaultNsqTemplateObservationConvention INSTANCE = new DefaultNsqTemplateObservationConvention();

	@Override
	public KeyValues getLowCardinalityKeyValues(NsqTemplateObservationContext context) {
		String result = context.getResult();
		return KeyValues.of(TemplateLowCardinalityTags.TOPIC.withValue(context.getTopic()),
				TemplateLowCardinalityTags.OPERATION.withValue(context.getOperation()),
				TemplateLowCardinalityTags.RESULT.withValue((result != null) ? result : "none"),
				TemplateLowCardinalityTags.MESSAGING_SYSTEM.withValue("nsq"),
				TemplateLowCardinalityTags.MESSAGING_DESTINATION_NAME.withValue(context.getTopic()));
	}

	@Override
	public String getContextualName(NsqTemplateObservationContext context) {
		return context.getTopic() + " send";
	}

}

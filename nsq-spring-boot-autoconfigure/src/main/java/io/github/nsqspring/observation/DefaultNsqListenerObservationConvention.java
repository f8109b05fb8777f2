package io.github.nsqspring.observation;

import io.github.nsqspring.observation.NsqListenerObservation.ListenerHighCardinalityTags;
import io.github.nsqspring.observation.NsqListenerObservation.ListenerLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NsqListenerObservationConvention}: the listener, topic, channel and outcome as
 * low-cardinality keys, with {@code messaging.system=nsq} and {@code messaging.destination.name}; the
 * message id and attempt as high-cardinality keys. Contextual name {@code "<topic> process"}.
 */
public class DefaultNsqListenerObservationConvention implements NsqListenerObservationConvention {

	/** The shared instance. */
	public static final DefaultNsqListenerObservationConvention INSTANCE = new DefaultNsqListenerObservationConvention();

	@Override
	public KeyValues getLowCardinalityKeyValues(NsqListenerObservationContext context) {
		String outcome = context.getOutcome();
		return KeyValues.of(ListenerLowCardinalityTags.LISTENER.withValue(context.getListener()),
				ListenerLowCardinalityTags.TOPIC.withValue(context.getTopic()),
				ListenerLowCardinalityTags.CHANNEL.withValue(context.getChannel()),
				ListenerLowCardinalityTags.OUTCOME.withValue((outcome != null) ? outcome : "none"),
				ListenerLowCardinalityTags.MESSAGING_SYSTEM.withValue("nsq"),
				ListenerLowCardinalityTags.MESSAGING_DESTINATION_NAME.withValue(context.getTopic()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NsqListenerObservationContext context) {
		return KeyValues.of(ListenerHighCardinalityTags.MESSAGE_ID.withValue(context.getMessageId()),
				ListenerHighCardinalityTags.ATTEMPTS.withValue(Integer.toString(context.getAttempts())));
	}

	@Override
	public String getContextualName(NsqListenerObservationContext context) {
		return context.getTopic() + " process";
	}

}

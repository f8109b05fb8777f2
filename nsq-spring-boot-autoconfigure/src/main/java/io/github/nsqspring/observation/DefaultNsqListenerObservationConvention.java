package io.github.nsqspring.observation;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.nsqspring.observation.NsqListenerObservation.ListenerHighCardinalityTags;
import io.github.nsqspring.observation.NsqListenerObservation.ListenerLowCardinalityTags;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NsqListenerObservationConvention}: the listener, topic, channel and outcome as
 * low-cardinality keys, with {@code messaging.system=nsq} and {@code messaging.destination.name}; the
 * message id (and a batch's size, {@code messaging.batch.message_count}) as high-cardinality keys. Contextual name {@code "<topic> process"}.
 *
 * <p>The low-cardinality key values are asked for twice per message (at start and at stop) and are the
 * same for every message of one listener with one outcome, so an instance keeps the last ones per
 * outcome and reuses them while the listener, topic and channel match: one instance per listener
 * container never builds them again.
 */
public class DefaultNsqListenerObservationConvention implements NsqListenerObservationConvention {

	/** A shared instance. */
	public static final DefaultNsqListenerObservationConvention INSTANCE = new DefaultNsqListenerObservationConvention();

	private static final String NO_OUTCOME = "none";

	private final Map<String, Built> lastBuilt = new ConcurrentHashMap<>();

	@Override
	public KeyValues getLowCardinalityKeyValues(NsqListenerObservationContext context) {
		String outcome = Objects.requireNonNullElse(context.getOutcome(), NO_OUTCOME);
		Built last = this.lastBuilt.get(outcome);
		if (last != null && last.isFor(context)) {
			return last.keyValues();
		}
		KeyValues keyValues = KeyValues.of(ListenerLowCardinalityTags.LISTENER.withValue(context.getListener()),
				ListenerLowCardinalityTags.TOPIC.withValue(context.getTopic()),
				ListenerLowCardinalityTags.CHANNEL.withValue(context.getChannel()),
				ListenerLowCardinalityTags.OUTCOME.withValue(outcome),
				ListenerLowCardinalityTags.MESSAGING_SYSTEM.withValue("nsq"),
				ListenerLowCardinalityTags.MESSAGING_DESTINATION_NAME.withValue(context.getTopic()));
		this.lastBuilt.put(outcome, new Built(context.getListener(), context.getTopic(), context.getChannel(), keyValues));
		return keyValues;
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NsqListenerObservationContext context) {
		KeyValues keyValues = KeyValues.of(ListenerHighCardinalityTags.MESSAGE_ID.withValue(context.getMessageId()));
		return (context.getBatchSize() > 0)
				? keyValues.and(ListenerHighCardinalityTags.BATCH_SIZE.withValue(Integer.toString(context.getBatchSize())))
				: keyValues;
	}

	@Override
	public String getContextualName(NsqListenerObservationContext context) {
		return context.getTopic() + " process";
	}

	private record Built(String listener, String topic, String channel, KeyValues keyValues) {

		boolean isFor(NsqListenerObservationContext context) {
			return this.listener.equals(context.getListener()) && this.topic.equals(context.getTopic())
					&& this.channel.equals(context.getChannel());
		}

	}

}

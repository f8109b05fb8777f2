package io.github.nsqspring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The {@code nsq.listener} observation: one per message a listener container gives an outcome (FIN or
 * REQ), or per batch a batch listener is given, from the moment a handler thread takes it (or the container requeues it unstarted) to that
 * outcome. Its scope is open while the listener runs, so observations the listener opens are its children.
 */
public enum NsqListenerObservation implements ObservationDocumentation {

	/** Handling one message. */
	LISTENER_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultNsqListenerObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return ListenerLowCardinalityTags.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return ListenerHighCardinalityTags.values();
		}

	};

	/** Low-cardinality keys (also the tags of the {@code nsq.listener} timer). */
	public enum ListenerLowCardinalityTags implements KeyName {

		/** The listener's id or name. */
		LISTENER("nsq.listener"),

		/** The topic. */
		TOPIC("nsq.topic"),

		/** The channel. */
		CHANNEL("nsq.channel"),

		/**
		 * {@code finished}, {@code requeued}, {@code dead-lettered}, {@code requeued-on-shutdown} or {@code timed-out};
		 * of a batch: {@code finished} (the listener returned), {@code failed} (it threw) or {@code requeued-on-shutdown}.
		 */
		OUTCOME("nsq.outcome"),

		/** Always {@code nsq}. */
		MESSAGING_SYSTEM("messaging.system"),

		/** The topic. */
		MESSAGING_DESTINATION_NAME("messaging.destination.name");

		private final String key;

		ListenerLowCardinalityTags(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

	/** High-cardinality keys (spans only). */
	public enum ListenerHighCardinalityTags implements KeyName {

		/** nsqd's message id (of a batch: its first message's). */
		MESSAGE_ID("messaging.message.id"),

		/** The number of messages of a batch listener's batch (batch listeners only). */
		BATCH_SIZE("messaging.batch.message_count");

		private final String key;

		ListenerHighCardinalityTags(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}

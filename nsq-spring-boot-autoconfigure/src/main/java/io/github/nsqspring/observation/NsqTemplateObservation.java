package io.github.nsqspring.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The {@code nsq.template} observation: one per publish of an {@code NsqTemplate}, from the call to
 * nsqd's answer (or the failure, which it records as its error).
 */
public enum NsqTemplateObservation implements ObservationDocumentation {

	/** One publish (PUB, MPUB or DPUB). */
	TEMPLATE_OBSERVATION {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultNsqTemplateObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return TemplateLowCardinalityTags.values();
		}

	};

	/** Low-cardinality keys (also the tags of the {@code nsq.template} timer). */
	public enum TemplateLowCardinalityTags implements KeyName {

		/** The topic. */
		TOPIC("nsq.topic"),

		/** The {@code NsqOperations} method: {@code send}, {@code sendAsync}, {@code sendBatch}, ... */
		OPERATION("nsq.operation"),

		/** {@code success} or {@code failure}. */
		RESULT("nsq.result"),

		/** Always {@code nsq}. */
		MESSAGING_SYSTEM("messaging.system"),

		/** The topic. */
		MESSAGING_DESTINATION_NAME("messaging.destination.name");

		private final String key;

		TemplateLowCardinalityTags(String key) {
			this.key = key;
		}

		@Override
		public String asString() {
			return this.key;
		}

	}

}

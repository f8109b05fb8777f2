package io.github.nsqspring.actuate;

import java.util.List;

import io.github.nsqspring.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.observation.NsqListenerObservation;
import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.github.nsqspring.observation.NsqTemplateObservation;
import io.github.nsqspring.observation.NsqTemplateObservationContext;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timers made of the observations carry the tag names of the starter's metrics, whether
 * {@link NsqMeterObservationHandler} (first, as Boot orders the meter handlers) or Micrometer's default
 * handler makes them.
 */
class NsqObservationMetersTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final DefaultMeterObservationHandler defaultHandler = new DefaultMeterObservationHandler(this.meters);

	NsqObservationMetersTests() {
		this.meters.config().meterFilter(new NsqObservationMeterFilter());
	}

	@Test
	void listenerTimerIsTaggedListenerTopicChannelResultAndKeptForTheNextMessage() {
		this.observations.observationConfig()
			.observationHandler(new FirstMatchingCompositeObservationHandler(new NsqMeterObservationHandler(this.meters),
					this.defaultHandler));
		observeMessage("finished");
		observeMessage("finished");
		observeMessage("requeued");
		Timer finished = this.meters.get("nsq.listener").tag("result", "finished").timer();
		assertThat(finished.getId().getTags()).containsExactlyInAnyOrder(Tag.of("listener", "orders-listener"),
				Tag.of("topic", "orders"), Tag.of("channel", "billing"), Tag.of("result", "finished"), Tag.of("error", "none"));
		assertThat(finished.count()).isEqualTo(2);
		assertThat(this.meters.get("nsq.listener").tag("result", "requeued").timer().count()).isEqualTo(1);
		assertThat(this.meters.find("nsq.listener.active").longTaskTimer()).as("made by the default handler").isNull();
	}

	@Test
	void theDefaultHandlerGivesTheSameTagNames() {
		this.observations.observationConfig().observationHandler(this.defaultHandler);
		observeMessage("dead-lettered");
		assertThat(tags("nsq.listener")).containsExactlyInAnyOrder(Tag.of("listener", "orders-listener"),
				Tag.of("topic", "orders"), Tag.of("channel", "billing"), Tag.of("result", "dead-lettered"),
				Tag.of("error", "none"));
	}

	@Test
	void templateTimerIsTaggedTopicOperationResultAndError() {
		this.observations.observationConfig().observationHandler(new NsqMeterObservationHandler(this.meters));
		NsqTemplateObservationContext context = new NsqTemplateObservationContext("orders", "sendAsync");
		Observation observation = NsqTemplateObservation.TEMPLATE_OBSERVATION
			.observation(null, DefaultNsqTemplateObservationConvention.INSTANCE, () -> context, this.observations)
			.start();
		context.setResult("failure");
		observation.error(new IllegalStateException("down"));
		observation.stop();
		assertThat(tags("nsq.template")).containsExactlyInAnyOrder(Tag.of("topic", "orders"), Tag.of("operation", "sendAsync"),
				Tag.of("result", "failure"), Tag.of("error", "IllegalStateException"));
	}

	@Test
	void otherMetersKeepTheirTags() {
		this.meters.counter("nsq.listener.dead.letters", "nsq.topic", "orders", "messaging.system", "nsq");
		assertThat(this.meters.get("nsq.listener.dead.letters").counter().getId().getTags())
			.containsExactlyInAnyOrder(Tag.of("nsq.topic", "orders"), Tag.of("messaging.system", "nsq"));
	}

	private void observeMessage(String outcome) {
		NsqListenerObservationContext context = new NsqListenerObservationContext("orders-listener", "orders", "billing",
				"0a1b", 1);
		Observation observation = NsqListenerObservation.LISTENER_OBSERVATION
			.observation(null, DefaultNsqListenerObservationConvention.INSTANCE, () -> context, this.observations)
			.start();
		context.setOutcome(outcome);
		observation.stop();
	}

	private List<Tag> tags(String timer) {
		Timer meter = this.meters.get(timer).timer();
		assertThat(meter.count()).isEqualTo(1);
		return meter.getId().getTags();
	}

}

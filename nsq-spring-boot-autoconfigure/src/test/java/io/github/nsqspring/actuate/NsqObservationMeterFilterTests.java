package io.github.nsqspring.actuate;

import java.util.List;

import io.github.nsqspring.observation.DefaultNsqListenerObservationConvention;
import io.github.nsqspring.observation.DefaultNsqTemplateObservationConvention;
import io.github.nsqspring.observation.NsqListenerObservation;
import io.github.nsqspring.observation.NsqListenerObservationContext;
import io.github.nsqspring.observation.NsqTemplateObservation;
import io.github.nsqspring.observation.NsqTemplateObservationContext;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The timers Micrometer makes of the observations carry the tag names of the starter's metrics. */
class NsqObservationMeterFilterTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationRegistry observations = ObservationRegistry.create();

	NsqObservationMeterFilterTests() {
		this.meters.config().meterFilter(new NsqObservationMeterFilter());
		this.observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(this.meters));
	}

	@Test
	void listenerTimerIsTaggedListenerTopicChannelResult() {
		NsqListenerObservationContext context = new NsqListenerObservationContext("orders-listener", "orders", "billing",
				"0a1b", 1);
		Observation observation = NsqListenerObservation.LISTENER_OBSERVATION
			.observation(null, DefaultNsqListenerObservationConvention.INSTANCE, () -> context, this.observations)
			.start();
		context.setOutcome("finished");
		observation.stop();
		assertThat(tags("nsq.listener")).containsExactlyInAnyOrder(Tag.of("listener", "orders-listener"),
				Tag.of("topic", "orders"), Tag.of("channel", "billing"), Tag.of("result", "finished"), Tag.of("error", "none"));
	}

	@Test
	void templateTimerIsTaggedTopicOperationResult() {
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

	private List<Tag> tags(String timer) {
		Meter meter = this.meters.get(timer).timer();
		assertThat(meter.measure()).isNotEmpty();
		return meter.getId().getTags();
	}

}

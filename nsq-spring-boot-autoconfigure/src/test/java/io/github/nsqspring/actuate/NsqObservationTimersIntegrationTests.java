package io.github.nsqspring.actuate;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqMetricsAutoConfiguration;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code nsq.listener} and {@code nsq.template} timers with Boot's metrics and observations, against a
 * real nsqd: one timer per tag set whether the observations are off (plain timers) or on (made of them).
 */
class NsqObservationTimersIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
				NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class))
		.withUserConfiguration(Timed.class)
		.withPropertyValues("spring.application.name=timed");

	@Test
	void plainTimersByDefault() {
		this.runner.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress()).run((context) -> {
			handleAndPublish(context.getBean(NsqOperations.class), context.getBean(MeterRegistry.class), "timed-plain");
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(context).hasSingleBean(NsqTemplateMetrics.class);
			assertThat(tagKeys(meters.find("nsq.listener").tag("topic", "timed-plain").timers()))
				.containsExactlyInAnyOrder("listener", "topic", "channel", "result");
			assertThat(tagKeys(meters.find("nsq.template").tag("topic", "timed-plain").timers()))
				.containsExactlyInAnyOrder("topic", "operation", "result");
		});
	}

	@Test
	void timersMadeOnceOfTheObservationsWhenTheyAreOn() {
		this.runner
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.consumer.observation-enabled=true",
					"nsq.producer.observation-enabled=true")
			.run((context) -> {
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				handleAndPublish(context.getBean(NsqOperations.class), meters, "timed-observed");
				assertThat(context).doesNotHaveBean(NsqTemplateMetrics.class);
				assertThat(tagKeys(meters.find("nsq.listener").tag("topic", "timed-observed").timers()))
					.containsExactlyInAnyOrder("listener", "topic", "channel", "result", "error");
				assertThat(tagKeys(meters.find("nsq.template").tag("topic", "timed-observed").timers()))
					.containsExactlyInAnyOrder("topic", "operation", "result", "error");
			});
	}

	/**
	 * Publishes 3 messages that the listener finishes; each is counted exactly once by one
	 * {@code nsq.template} and one {@code nsq.listener} timer.
	 */
	private void handleAndPublish(NsqOperations operations, MeterRegistry meters, String topic) {
		nsqd.createChannel(topic, "timed");
		for (int i = 0; i < 3; i++) {
			operations.send(topic, "m" + i);
		}
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(count(meters.find("nsq.listener").tag("topic", topic).timers())).isEqualTo(3));
		await().untilAsserted(() -> assertThat(count(meters.find("nsq.template").tag("topic", topic).timers())).isEqualTo(3));
		// counted once: by one timer each
		assertThat(counted(meters.find("nsq.listener").tag("topic", topic).timers())).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTag("result")).isEqualTo("finished"));
		assertThat(counted(meters.find("nsq.template").tag("topic", topic).timers())).singleElement()
			.satisfies((timer) -> assertThat(timer.getId().getTag("result")).isEqualTo("success"));
		await().untilAsserted(() -> assertThat(nsqd.stats().channel(topic, "timed").inFlightCount()).isZero());
		assertThat(nsqd.stats().channel(topic, "timed").messageCount()).isEqualTo(3);
	}

	private static List<Timer> counted(Collection<Timer> timers) {
		return timers.stream().filter((timer) -> timer.count() > 0).toList();
	}

	private static long count(Collection<Timer> timers) {
		return timers.stream().mapToLong(Timer::count).sum();
	}

	private static List<String> tagKeys(Collection<Timer> timers) {
		return timers.stream().map(Meter::getId).flatMap((id) -> id.getTags().stream()).map(Tag::getKey).distinct().toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Timed {

		@NsqListener(id = "timed-plain", topic = "timed-plain")
		void plain(String body) {
		}

		@NsqListener(id = "timed-observed", topic = "timed-observed")
		void observed(String body) {
		}

	}

}

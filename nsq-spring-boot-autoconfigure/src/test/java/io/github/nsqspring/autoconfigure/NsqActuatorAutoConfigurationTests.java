package io.github.nsqspring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.actuate.NsqHealthIndicator;
import io.github.nsqspring.actuate.NsqListenerMetrics;
import io.github.nsqspring.actuate.NsqMeterObservationHandler;
import io.github.nsqspring.actuate.NsqObservationMeterFilter;
import io.github.nsqspring.actuate.NsqTemplateMetrics;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The health, metrics and endpoint auto-configurations appear with their libraries and back off without them. */
class NsqActuatorAutoConfigurationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqHealthContributorAutoConfiguration.class,
				NsqMetricsAutoConfiguration.class, NsqEndpointAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withPropertyValues("management.endpoints.web.exposure.include=nsq");

	@Test
	void everythingPresentWithTheLibraries() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(NsqHealthIndicator.class)
			.hasBean("nsqHealthIndicator")
			.hasSingleBean(NsqListenerMetrics.class)
			.hasSingleBean(NsqObservationMeterFilter.class)
			.hasSingleBean(NsqMeterObservationHandler.class)
			.hasSingleBean(NsqEndpoint.class));
	}

	@Test
	void templatePendingGaugeShowsBytesAwaitingNsqd() {
		this.runner.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress()).run((context) -> {
			NsqTemplate template = context.getBean(NsqTemplate.class);
			Gauge pending = context.getBean(MeterRegistry.class).get("nsq.template.pending").gauge();
			assertThat(pending.getId().getBaseUnit()).isEqualTo("bytes");
			assertThat(pending.value()).isZero();
			// counted until nsqd's answer, released once it came
			template.send("pending-gauge", "x");
			assertThat(pending.value()).isZero();
			assertThat(nsqd.stats().topic("pending-gauge").messageCount()).isEqualTo(1);
		});
	}

	@Test
	void templatePendingGaugeStaysWhenTheTemplateIsObserved() {
		this.runner.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.producer.observation-enabled=true")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(NsqTemplateMetrics.class);
				assertThat(context.getBean(MeterRegistry.class).get("nsq.template.pending").gauge().value()).isZero();
			});
	}

	@Test
	void withoutActuatorOrMicrometerTheStarterStillWorks() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health", "org.springframework.boot.actuate",
				"io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(NsqListenerRegistry.class)
				.doesNotHaveBean(NsqHealthIndicator.class)
				.doesNotHaveBean(NsqListenerMetrics.class)
				.doesNotHaveBean(NsqEndpoint.class));
	}

	@Test
	void withoutMicrometerNoMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqListenerMetrics.class));
	}

	@Test
	void withoutAMeterRegistryNoMetrics() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqListenerMetrics.class));
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.runner.withPropertyValues("management.health.nsq.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NsqHealthIndicator.class).hasSingleBean(NsqEndpoint.class));
	}

	@Test
	void endpointOnlyWhenExposed() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(NsqEndpoint.class));
	}

	@Test
	void nsqdHttpAddressesDefaultToTcpPortPlusOne() {
		this.runner.withPropertyValues("nsq.nsqd-addresses=10.0.0.1:4150,nsq-2:5150")
			.run((context) -> assertThat(context.getBean(NsqConnectionDetails.class).getNsqdHttpAddresses())
				.containsExactly("10.0.0.1:4151", "nsq-2:5151"));
	}

	@Test
	void upWithTheUnreachableListedWhenSomeNsqdAnswerAndDownWhenNoneDoes() {
		Duration timeout = Duration.ofSeconds(1);
		Health partly = new NsqHealthIndicator(null, List.of(nsqd.httpAddress(), "127.0.0.1:1"), List.of(), () -> false, timeout, null)
			.health();
		assertThat(partly.getStatus()).isEqualTo(Status.UP);
		assertThat(partly.getDetails().get("unreachable")).isEqualTo(List.of("127.0.0.1:1"));
		assertThat(partly.getDetails().get("nsqd").toString()).contains(nsqd.httpAddress() + "=UP", "127.0.0.1:1=DOWN");

		Health none = new NsqHealthIndicator(null, List.of("127.0.0.1:1"), List.of(), () -> false, timeout, null).health();
		assertThat(none.getStatus()).isEqualTo(Status.DOWN);

		Health all = new NsqHealthIndicator(null, List.of(nsqd.httpAddress()), List.of(), () -> false, timeout, null).health();
		assertThat(all.getStatus()).isEqualTo(Status.UP);
		assertThat(all.getDetails()).doesNotContainKey("unreachable");

		// with nsqlookupd configured, the template's nsqd are checked once it has published
		Health published = new NsqHealthIndicator(null, List.of(nsqd.httpAddress()), List.of("127.0.0.1:1"), () -> true, timeout, null)
			.health();
		assertThat(published.getStatus()).isEqualTo(Status.UP);
		assertThat(published.getDetails().get("nsqd")).isEqualTo(Map.of(nsqd.httpAddress(), "UP"));
		assertThat(published.getDetails().get("unreachable")).isEqualTo(List.of("127.0.0.1:1"));
	}

}

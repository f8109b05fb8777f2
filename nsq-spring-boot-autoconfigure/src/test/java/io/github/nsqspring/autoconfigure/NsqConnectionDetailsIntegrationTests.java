package io.github.nsqspring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application whose only addresses come from its own {@link NsqConnectionDetails} bean (no
 * {@code nsq.*} address property): listeners, template and health use them, against real nsqd and
 * nsqlookupd.
 */
class NsqConnectionDetailsIntegrationTests {

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(2);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.application.name=details-test")
		.withUserConfiguration(Listener.class);

	@Test
	void directNsqdFromTheBean() {
		NsqConnectionDetails details = new Details(List.of(cluster.nsqd(1).tcpAddress()),
				List.of(cluster.nsqd(1).httpAddress()), List.of());
		this.runner.withBean(NsqConnectionDetails.class, () -> details).withPropertyValues("details.topic=details-direct")
			.run((context) -> {
			assertThat(context).hasSingleBean(NsqConnectionDetails.class);
			assertThat(context.getBean(NsqConnectionDetails.class)).isSameAs(details);
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("details").orElseThrow();
			assertThat(container.getContainerProperties().getNsqdAddresses()).containsExactly(cluster.nsqd(1).tcpAddress());
			assertThat(container.getContainerProperties().usesLookupd()).isFalse();

			context.getBean(NsqOperations.class).send("details-direct", "sent by the template");
			Listener listener = context.getBean(Listener.class);
			await().untilAsserted(() -> assertThat(listener.received).containsExactly("sent by the template"));
			await().untilAsserted(() -> assertThat(cluster.nsqd(1).stats().channel("details-direct", "details-test").finishCount())
				.isEqualTo(1));

			Health health = context.getBean("nsqHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
			assertThat(health.getDetails().get("nsqd")).isEqualTo(Map.of(cluster.nsqd(1).httpAddress(), "UP"));
			assertThat(health.getDetails()).doesNotContainKey("nsqlookupd");
		});
	}

	@Test
	void lookupdFromTheBeanAndTheTemplatesNsqdOnceItPublished() {
		cluster.nsqd(0).createTopic("details-lookupd");
		await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("details-lookupd")).hasSize(1));
		// the listener finds nsqd 0 through lookupd; the template publishes to nsqd 1, which does not hold its topic
		NsqConnectionDetails details = new Details(List.of(cluster.nsqd(1).tcpAddress()),
				List.of(cluster.nsqd(1).httpAddress()), List.of(cluster.lookupd().httpAddress()));
		this.runner.withBean(NsqConnectionDetails.class, () -> details).withPropertyValues("details.topic=details-lookupd")
			.run((context) -> {
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("details").orElseThrow();
				assertThat(container.getContainerProperties().getLookupdAddresses()).containsExactly(cluster.lookupd().httpAddress());
				HealthIndicator indicator = context.getBean("nsqHealthIndicator", HealthIndicator.class);
				Health beforePublishing = indicator.health();
				assertThat(beforePublishing.getStatus()).as(beforePublishing.toString()).isEqualTo(Status.UP);
				assertThat(beforePublishing.getDetails().get("nsqlookupd")).isEqualTo(Map.of(cluster.lookupd().httpAddress(), "UP"));
				assertThat(beforePublishing.getDetails().get("nsqd")).isEqualTo(Map.of(cluster.nsqd(0).httpAddress(), "UP"));

				cluster.nsqd(0).publish("details-lookupd", "via nsqd 0");
				Listener listener = context.getBean(Listener.class);
				await().untilAsserted(() -> assertThat(listener.received).containsExactly("via nsqd 0"));
				context.getBean(NsqOperations.class).send("details-unrelated", "via the template");
				assertThat(cluster.nsqd(1).stats().topic("details-unrelated").messageCount()).isEqualTo(1);
				assertThat(cluster.nsqd(0).stats().findTopic("details-unrelated")).isEmpty();

				Health afterPublishing = indicator.health();
				assertThat(afterPublishing.getStatus()).as(afterPublishing.toString()).isEqualTo(Status.UP);
				assertThat(afterPublishing.getDetails().get("nsqd"))
					.isEqualTo(Map.of(cluster.nsqd(0).httpAddress(), "UP", cluster.nsqd(1).httpAddress(), "UP"));
			});
	}

	@Test
	void anInvalidNsqdAddressOfTheBeanFailsStartupNamingIt() {
		this.runner.withBean(NsqConnectionDetails.class, () -> new Details(List.of("no-port"), List.of(), List.of()))
			.withPropertyValues("details.topic=details-invalid")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("Invalid nsqd addresses of "
					+ Details.class.getName() + " or nsq.producer.* settings: nsqd address 'no-port' is not host:port"));
	}

	@Test
	void lookupdOnlyDetailsFailStartupBecauseTheTemplateHasNoNsqdToPublishTo() {
		this.runner.withBean(NsqConnectionDetails.class,
				() -> new Details(List.of(), List.of(), List.of(cluster.lookupd().httpAddress())))
			.withPropertyValues("details.topic=details-invalid")
			.run((context) -> assertThat(context.getStartupFailure()).hasStackTraceContaining("Invalid nsqd addresses of "
					+ Details.class.getName() + " or nsq.producer.* settings: At least one nsqd address is needed to publish"));
	}

	@Test
	void theDefaultBeanGivesTheProperties() {
		this.runner.withPropertyValues("details.topic=details-properties", "nsq.nsqd-addresses=" + cluster.nsqd(0).tcpAddress(),
				"nsq.nsqd-http-addresses=https://localhost:4443", "nsq.lookupd-addresses=http://127.0.0.1:4161/")
			.run((context) -> {
				NsqConnectionDetails details = context.getBean(NsqConnectionDetails.class);
				assertThat(details).isInstanceOf(PropertiesNsqConnectionDetails.class);
				assertThat(details.getNsqdAddresses()).containsExactly(cluster.nsqd(0).tcpAddress());
				assertThat(details.getNsqdHttpAddresses()).containsExactly("https://localhost:4443");
				assertThat(details.getLookupdAddresses()).containsExactly("127.0.0.1:4161");
			});
	}

	@Test
	void aBeanGivingOnlyNsqdGetsTheirHttpAddressesAndNoLookupd() {
		NsqConnectionDetails details = () -> List.of("10.0.0.1:4150", "nsq-2:5150");
		assertThat(details.getNsqdHttpAddresses()).containsExactly("10.0.0.1:4151", "nsq-2:5151");
		assertThat(details.getLookupdAddresses()).isEmpty();
	}

	record Details(List<String> getNsqdAddresses, List<String> getNsqdHttpAddresses,
			List<String> getLookupdAddresses) implements NsqConnectionDetails {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "details", topic = "${details.topic}")
		void handle(String body) {
			this.received.add(body);
		}

	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqConnectionDetails;
import io.github.nsqspring.autoconfigure.NsqHealthContributorAutoConfiguration;
import io.github.nsqspring.test.NsqCluster;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener configured with nsqlookupd only discovers and consumes from every nsqd of the topic, also
 * when an {@link NsqConnectionDetails} bean gives nsqlookupd as an {@code http://} URL.
 */
class LookupdIntegrationTests {

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(2);

	static final Set<String> received = ConcurrentHashMap.newKeySet();

	@BeforeEach
	void forgetReceived() {
		received.clear();
	}

	@Test
	void consumesFromBothNsqdThroughLookupd() {
		for (int i = 0; i < 2; i++) {
			cluster.nsqd(i).createChannel("discovered", "lookup");
			for (int m = 0; m < 10; m++) {
				cluster.nsqd(i).publish("discovered", "nsqd" + i + "-" + m);
			}
		}
		await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("discovered")).hasSize(2));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.lookupd-addresses=" + cluster.lookupd().httpAddress(),
					"nsq.consumer.lookupd-poll-interval=1s", "spring.application.name=lookup", "test.topic=discovered")
			.withUserConfiguration(Listener.class)
			.run((context) -> {
				await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 20);
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainers().iterator().next();
				assertThat(container.getConnectionCount()).isEqualTo(2);
				await().untilAsserted(() -> {
					for (int i = 0; i < 2; i++) {
						var channel = cluster.nsqd(i).stats().channel("discovered", "lookup");
						assertThat(channel.depth()).isZero();
						assertThat(channel.inFlightCount()).isZero();
						assertThat(channel.clientCount()).isEqualTo(1);
					}
				});
			});
		assertThat(received).anyMatch((body) -> body.startsWith("nsqd0-")).anyMatch((body) -> body.startsWith("nsqd1-"));
	}

	@Test
	void connectionDetailsWithAnHttpUrlOfLookupdConsume() {
		cluster.nsqd(0).createChannel("discovered-by-url", "lookup");
		cluster.nsqd(0).publish("discovered-by-url", "by-url");
		await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("discovered-by-url")).hasSize(1));
		NsqConnectionDetails details = new UrlConnectionDetails("http://" + cluster.lookupd().httpAddress() + "/");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqHealthContributorAutoConfiguration.class))
			.withBean(NsqConnectionDetails.class, () -> details)
			.withPropertyValues("nsq.consumer.lookupd-poll-interval=1s", "spring.application.name=lookup",
					"test.topic=discovered-by-url")
			.withUserConfiguration(Listener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(20)).until(() -> received.contains("by-url"));
				assertThat(context.getBean(NsqListenerRegistry.class).getContainers().iterator().next()
					.getContainerProperties()
					.getLookupdAddresses()).containsExactly(cluster.lookupd().httpAddress());
				Health health = context.getBean("nsqHealthIndicator", HealthIndicator.class).health();
				assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
				assertThat(health.getDetails().get("nsqlookupd")).isEqualTo(Map.of(cluster.lookupd().httpAddress(), "UP"));
			});
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "https://127.0.0.1:4161|address 'https://127.0.0.1:4161' uses https, but nsqlookupd serves plain HTTP only",
			"lookupd:http|HTTP address 'lookupd:http' has no valid port" })
	void connectionDetailsWithABadLookupdAddressFailStartupNamingTheBean(String address, String why) {
		NsqConnectionDetails details = new UrlConnectionDetails(address);
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withBean(NsqConnectionDetails.class, () -> details)
			.withPropertyValues("test.topic=never")
			.withUserConfiguration(Listener.class)
			.run((context) -> assertThat(context).getFailure()
				.hasStackTraceContaining("NsqConnectionDetails bean (" + UrlConnectionDetails.class.getName()
						+ ") getLookupdAddresses(): " + why));
	}

	/** Connection details from a platform: nsqlookupd as a URL, the template's nsqd as host:port. */
	record UrlConnectionDetails(String lookupdUrl) implements NsqConnectionDetails {

		@Override
		public List<String> getNsqdAddresses() {
			return List.of(cluster.nsqd(0).tcpAddress());
		}

		@Override
		public List<String> getLookupdAddresses() {
			return List.of(this.lookupdUrl);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@NsqListener(topic = "${test.topic}", concurrency = "2")
		void handle(String body) {
			received.add(body);
		}

	}

}

package io.github.nsqspring.actuate;

import java.util.List;
import java.util.Map;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqHealthContributorAutoConfiguration;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqPublishException;
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
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An application configured as the README's Usage shows, with {@code nsq.lookupd-addresses} only: the
 * health checks nsqlookupd and the nsqd it lists for the listeners' topics, not the template's default
 * {@code 127.0.0.1:4150}, until the template is used. (Only the first test uses the cluster: it stops its
 * nsqlookupd.)
 */
class LookupdHealthIntegrationTests {

	private static final String DEFAULT_NSQD_HTTP = "127.0.0.1:4151";

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(2);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqHealthContributorAutoConfiguration.class))
		.withPropertyValues("spring.application.name=health-lookupd", "nsq.producer.timeout=500ms");

	@Test
	void lookupdOnlyConsumerIsUpAndChecksTheNsqdLookupdKnowsForItsTopics() {
		cluster.nsqd(0).createTopic("health-orders");
		cluster.nsqd(1).createTopic("health-other");
		await().untilAsserted(() -> assertThat(cluster.lookupd().lookup("health-orders")).hasSize(1));
		this.runner.withPropertyValues("nsq.lookupd-addresses=" + cluster.lookupd().httpAddress())
			.withUserConfiguration(Listener.class)
			.run((context) -> {
				HealthIndicator indicator = context.getBean("nsqHealthIndicator", HealthIndicator.class);
				Health health = indicator.health();
				assertThat(health.getStatus()).as(health.toString()).isEqualTo(Status.UP);
				assertThat(health.getDetails().get("nsqlookupd")).isEqualTo(Map.of(cluster.lookupd().httpAddress(), "UP"));
				assertThat(health.getDetails().get("nsqd")).isEqualTo(Map.of(cluster.nsqd(0).httpAddress(), "UP"));
				assertThat(health.getDetails()).doesNotContainKey("unreachable");

				// nsqlookupd gone: the nsqd it listed last are still checked, and they answer
				cluster.lookupd().stop();
				Health lookupdDown = indicator.health();
				assertThat(lookupdDown.getStatus()).isEqualTo(Status.UP);
				assertThat(lookupdDown.getDetails().get("unreachable")).isEqualTo(List.of(cluster.lookupd().httpAddress()));
				assertThat(lookupdDown.getDetails().get("nsqd")).isEqualTo(Map.of(cluster.nsqd(0).httpAddress(), "UP"));

				// the template publishes to nsq.nsqd-addresses (its default here) only: once used, that nsqd counts
				// too, and with none of them answering the template cannot work, whatever nsqlookupd's nsqd do
				assertThatExceptionOfType(NsqPublishException.class)
					.isThrownBy(() -> context.getBean(NsqOperations.class).send("health-orders", "x"));
				Health used = indicator.health();
				assertThat(used.getStatus()).as(used.toString()).isEqualTo(Status.DOWN);
				assertThat(used.getDetails().get("unreachable").toString()).contains(DEFAULT_NSQD_HTTP);
				assertThat(used.getDetails().get("nsqd").toString()).contains(cluster.nsqd(0).httpAddress() + "=UP");
			});
	}

	@Test
	void lookupdOnlyIsDownWhenNoLookupdAnswersAndNoNsqdIsKnown() {
		this.runner.withPropertyValues("nsq.lookupd-addresses=127.0.0.1:1").run((context) -> {
			Health health = context.getBean("nsqHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails().get("unreachable").toString()).contains("127.0.0.1:1")
				.doesNotContain(DEFAULT_NSQD_HTTP);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@NsqListener(topic = "health-orders")
		void handle(String body) {
		}

	}

}

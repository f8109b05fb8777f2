package io.github.nsqspring.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqListenerContainerFactoryConfigurer;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @NsqListener(containerFactory = ...)}: a second factory bean, configured like the auto-configured
 * one with other defaults, creates that listener's container; the others keep the default factory.
 */
class ContainerFactoryIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=factories",
				"app.factory=bulkFactory")
		.withUserConfiguration(Factories.class, Listeners.class);

	@Test
	void theNamedFactoryCreatesTheContainerAndTheOthersUseTheDefault() {
		this.runner.run((context) -> {
			assertThat(context.getBeansOfType(NsqListenerContainerFactory.class)).containsOnlyKeys("nsqListenerContainerFactory",
					"bulkFactory");
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			ContainerProperties bulk = registry.getContainer("bulk").orElseThrow().getContainerProperties();
			ContainerProperties plain = registry.getContainer("plain").orElseThrow().getContainerProperties();
			assertThat(bulk.getMaxInFlight()).isEqualTo(7);
			assertThat(bulk.getMaxAttempts()).isEqualTo(2);
			assertThat(plain.getMaxInFlight()).isEqualTo(1);
			assertThat(plain.getMaxAttempts()).isEqualTo(5);
			// the configurer gave the second factory the connection and the default channel
			assertThat(bulk.getNsqdAddresses()).containsExactly(nsqd.tcpAddress());
			assertThat(bulk.getChannel()).isEqualTo("factories");

			nsqd.publish("factory-bulk", "to bulk");
			nsqd.publish("factory-plain", "to plain");
			Listeners listeners = context.getBean(Listeners.class);
			await().untilAsserted(() -> assertThat(listeners.received).containsExactlyInAnyOrder("bulk: to bulk", "plain: to plain"));
			await().untilAsserted(() -> {
				assertThat(nsqd.stats().channel("factory-bulk", "factories").readyCount()).isEqualTo(7);
				assertThat(nsqd.stats().channel("factory-plain", "factories").readyCount()).isEqualTo(1);
			});
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Factories {

		@Bean
		NsqListenerContainerFactory bulkFactory(NsqListenerContainerFactoryConfigurer configurer) {
			NsqListenerContainerFactory factory = new NsqListenerContainerFactory();
			configurer.configure(factory);
			factory.addContainerDefaults((properties) -> {
				properties.setMaxInFlight(7);
				properties.setMaxAttempts(2);
			});
			return factory;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "bulk", topic = "factory-bulk", containerFactory = "${app.factory}")
		void bulk(String body) {
			this.received.add("bulk: " + body);
		}

		@NsqListener(id = "plain", topic = "factory-plain")
		void plain(String body) {
			this.received.add("plain: " + body);
		}

	}

}

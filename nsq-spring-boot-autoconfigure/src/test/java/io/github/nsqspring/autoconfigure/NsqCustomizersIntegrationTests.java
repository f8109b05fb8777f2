package io.github.nsqspring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link NsqListenerContainerCustomizer} and {@link NsqTemplateCustomizer} beans run in order, and what they set takes effect on nsqd. */
class NsqCustomizersIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=customized");

	@Test
	void containerCustomizersRunInOrderAfterTheListenersOwnSettings() {
		this.runner.withUserConfiguration(ContainerCustomizers.class, Listener.class).run((context) -> {
			ContainerCustomizers customizers = context.getBean(ContainerCustomizers.class);
			assertThat(customizers.calls).containsExactly("first customized-listener", "second customized-listener");
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			// the listener says maxInFlight 2, the first customizer 3, the second (last) 5
			assertThat(registry.getContainer("customized-listener").orElseThrow().getContainerProperties().getMaxInFlight())
				.isEqualTo(5);
			nsqd.publish("customized", "x");
			await().untilAsserted(() -> assertThat(context.getBean(Listener.class).received).containsExactly("x"));
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("customized", "customized").readyCount()).isEqualTo(5));
		});
	}

	@Test
	void templateCustomizersRunInOrder() {
		this.runner.withUserConfiguration(TemplateCustomizers.class).run((context) -> {
			TemplateCustomizers customizers = context.getBean(TemplateCustomizers.class);
			assertThat(customizers.calls).containsExactly("first", "second");
			context.getBean(NsqOperations.class).send("customized-template", "x");
			// the second customizer's observer replaced the first's
			await().untilAsserted(() -> assertThat(customizers.observed).containsExactly("second saw customized-template"));
			assertThat(nsqd.stats().topic("customized-template").messageCount()).isEqualTo(1);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ContainerCustomizers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		// declared before the first one: the order comes from @Order, not from the declaration
		@Bean
		@Order(2)
		NsqListenerContainerCustomizer secondContainerCustomizer() {
			return settingMaxInFlight("second", 5);
		}

		@Bean
		@Order(1)
		NsqListenerContainerCustomizer firstContainerCustomizer() {
			return settingMaxInFlight("first", 3);
		}

		private NsqListenerContainerCustomizer settingMaxInFlight(String name, int maxInFlight) {
			return (container) -> {
				this.calls.add(name + " " + container.getName());
				container.getContainerProperties().setMaxInFlight(maxInFlight);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TemplateCustomizers {

		final List<String> calls = new CopyOnWriteArrayList<>();

		final List<String> observed = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		NsqTemplateCustomizer secondTemplateCustomizer() {
			return settingObserver("second");
		}

		@Bean
		@Order(1)
		NsqTemplateCustomizer firstTemplateCustomizer() {
			return settingObserver("first");
		}

		private NsqTemplateCustomizer settingObserver(String name) {
			return (template) -> {
				this.calls.add(name);
				template.setPublishObserver((topic, operation, failure, nanos) -> this.observed.add(name + " saw " + topic));
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "customized-listener", topic = "customized", maxInFlight = "2")
		void handle(String body) {
			this.received.add(body);
		}

	}

}

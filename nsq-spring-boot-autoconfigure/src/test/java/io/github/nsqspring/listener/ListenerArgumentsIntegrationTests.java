package io.github.nsqspring.listener;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each supported parameter type receives what was published, from a real nsqd. */
class ListenerArgumentsIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=arguments-test")
			.withUserConfiguration(Listeners.class);
	}

	@Test
	void stringBytesJsonAndMessageParameters() {
		runner().run((context) -> {
			Listeners listeners = context.getBean(Listeners.class);
			Instant before = Instant.now();
			nsqd.publish("args-string", "héllo");
			nsqd.publish("args-bytes", new byte[] { 1, 2, 3 });
			nsqd.publish("args-json", "{\"id\":\"o-1\",\"amount\":42}");
			nsqd.publish("args-message", "with metadata");

			await().untilAsserted(() -> {
				assertThat(listeners.strings).containsExactly("héllo");
				assertThat(listeners.bytes).hasSize(1);
				assertThat(listeners.orders).containsExactly(new Order("o-1", 42));
				assertThat(listeners.messages).hasSize(1);
			});
			assertThat(listeners.bytes.get(0)).containsExactly(1, 2, 3);
			NsqMessage message = listeners.messages.get(0);
			assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("with metadata");
			assertThat(message.id()).hasSize(16);
			assertThat(message.attempts()).isEqualTo(1);
			assertThat(message.topic()).isEqualTo("args-message");
			assertThat(message.channel()).isEqualTo("arguments-test");
			assertThat(message.timestamp()).isBetween(before.minusSeconds(1), Instant.now());
			assertThat(message.isAcknowledged()).isTrue();
			await().untilAsserted(() -> {
				for (String topic : List.of("args-string", "args-bytes", "args-json", "args-message")) {
					var channel = nsqd.stats().channel(topic, "arguments-test");
					assertThat(channel.depth()).as(topic).isZero();
					assertThat(channel.inFlightCount()).as(topic).isZero();
					assertThat(channel.messageCount()).as(topic).isEqualTo(1);
				}
			});
		});
	}

	@Test
	void lazyBeanGetsItsContainerWhenCreated() {
		runner().withBean("lazyListener", LazyListener.class, LazyListener::new, (definition) -> definition.setLazyInit(true))
			.run((context) -> {
				NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
				assertThat(registry.getContainer("lazy")).isEmpty();
				LazyListener listener = context.getBean(LazyListener.class);
				assertThat(registry.getContainer("lazy")).hasValueSatisfying(
						(container) -> assertThat(container.getState()).isEqualTo(ContainerState.RUNNING));
				nsqd.publish("args-lazy", "late");
				await().untilAsserted(() -> assertThat(listener.received).containsExactly("late"));
			});
	}

	static class LazyListener {

		final List<String> received = new CopyOnWriteArrayList<>();

		@NsqListener(id = "lazy", topic = "args-lazy")
		void handle(String body) {
			this.received.add(body);
		}

	}

	record Order(String id, int amount) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		final List<String> strings = new CopyOnWriteArrayList<>();

		final List<byte[]> bytes = new CopyOnWriteArrayList<>();

		final List<Order> orders = new CopyOnWriteArrayList<>();

		final List<NsqMessage> messages = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "args-string")
		void onString(String body) {
			this.strings.add(body);
		}

		@NsqListener(topic = "args-bytes")
		void onBytes(byte[] body) {
			this.bytes.add(body);
		}

		@NsqListener(topic = "args-json")
		void onOrder(Order order, NsqMessage message) {
			this.orders.add(order);
		}

		@NsqListener(topic = "args-message")
		void onMessage(NsqMessage message) {
			this.messages.add(message);
		}

	}

}

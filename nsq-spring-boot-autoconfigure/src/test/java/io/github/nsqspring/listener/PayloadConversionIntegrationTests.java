package io.github.nsqspring.listener;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.test.NsqServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bodies that cannot become the payload parameter are dead-lettered at once, against a real nsqd:
 * invalid UTF-8 for a {@code String}, a JSON {@code null} for a record unless the parameter is
 * {@code @Nullable} or {@code Optional}.
 */
class PayloadConversionIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final Map<String, Throwable> deadLetters = new ConcurrentHashMap<>();

	static final List<Object> handled = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=conversion")
			.withUserConfiguration(Listeners.class);
	}

	@Test
	void invalidUtf8ForAStringAndJsonNullForARecordAreDeadLetteredAtOnce() {
		List<String> topics = List.of("conv-string", "conv-record", "conv-nullable", "conv-optional");
		topics.forEach((topic) -> nsqd.createChannel(topic, "conversion"));
		runner().run((context) -> {
			nsqd.publish("conv-string", new byte[] { 'o', 'k', (byte) 0xC3, (byte) 0x28 });
			nsqd.publish("conv-record", "null");
			nsqd.publish("conv-nullable", "null");
			nsqd.publish("conv-optional", "null");
			await().untilAsserted(() -> {
				assertThat(deadLetters).containsOnlyKeys("conv-string", "conv-record");
				assertThat(handled).hasSize(2);
			});
			assertThat(deadLetters.get("conv-string")).isInstanceOf(NsqPayloadConversionException.class)
				.hasMessageContaining("not valid UTF-8");
			assertThat(deadLetters.get("conv-record")).isInstanceOf(NsqPayloadConversionException.class)
				.hasMessageContaining("null")
				.hasMessageContaining("@Nullable");
			assertThat(new ArrayList<>(handled)).containsExactlyInAnyOrder("nullable:null", "optional:Optional.empty");
			await().untilAsserted(() -> {
				for (String topic : topics) {
					var channel = nsqd.stats().channel(topic, "conversion");
					assertThat(channel.depth()).isZero();
					assertThat(channel.inFlightCount()).isZero();
					assertThat(channel.requeueCount()).as(topic).isZero();
				}
			});
		});
	}

	record Order(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@Bean
		NsqDeadLetterHandler recordingDeadLetterHandler() {
			return (message, cause) -> deadLetters.put(message.topic(), cause);
		}

		@NsqListener(topic = "conv-string")
		void text(String body) {
			handled.add("string:" + body);
		}

		@NsqListener(topic = "conv-record")
		void order(Order order) {
			handled.add("record:" + order);
		}

		@NsqListener(topic = "conv-nullable")
		void nullable(@Nullable Order order) {
			handled.add("nullable:" + order);
		}

		@NsqListener(topic = "conv-optional")
		void optional(Optional<Order> order) {
			handled.add("optional:" + order);
		}

	}

}

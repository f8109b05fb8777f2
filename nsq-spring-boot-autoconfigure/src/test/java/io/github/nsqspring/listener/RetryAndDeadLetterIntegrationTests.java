package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqPayloadConversionException;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** AUTO mode outcomes against a real nsqd: retries with growing backoff, dead letters, unconvertible payloads. */
class RetryAndDeadLetterIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<Long> flakyCalls = new CopyOnWriteArrayList<>();

	static final AtomicInteger alwaysFailingCalls = new AtomicInteger();

	static final AtomicInteger typedCalls = new AtomicInteger();

	static final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=retries",
					"nsq.consumer.backoff.initial=300ms", "nsq.consumer.backoff.max=10s", "nsq.consumer.backoff.jitter=0")
			.withUserConfiguration(Listeners.class);
	}

	@Test
	void failingTwiceThenSucceedingIsCalledThreeTimesWithGrowingDelays() {
		nsqd.createChannel("flaky", "retries");
		runner().run((context) -> {
			nsqd.publish("flaky", "eventually");
			await().atMost(Duration.ofSeconds(30)).until(() -> flakyCalls.size() == 3);
			long firstGap = flakyCalls.get(1) - flakyCalls.get(0);
			long secondGap = flakyCalls.get(2) - flakyCalls.get(1);
			assertThat(firstGap).as("delay after attempt 1 (backoff 300 ms)").isGreaterThanOrEqualTo(300);
			assertThat(secondGap).as("delay after attempt 2 (backoff 600 ms)").isGreaterThanOrEqualTo(600);
			await().untilAsserted(() -> {
				var channel = nsqd.stats().channel("flaky", "retries");
				assertThat(channel.requeueCount()).isEqualTo(2);
				assertThat(channel.depth()).isZero();
				assertThat(channel.inFlightCount()).isZero();
				assertThat(channel.deferredCount()).isZero();
			});
			assertThat(flakyCalls).hasSize(3);
			assertThat(deadLetters).noneMatch((letter) -> letter.topic().equals("flaky"));
		});
	}

	@Test
	void alwaysFailingReachesTheDeadLetterHandlerOnceAfterMaxAttempts() {
		nsqd.createChannel("always-fails", "retries");
		runner().run((context) -> {
			nsqd.publish("always-fails", "hopeless");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> deadLetters.stream().anyMatch((letter) -> letter.topic().equals("always-fails")));
			Thread.sleep(1500);
			assertThat(alwaysFailingCalls).hasValue(3);
			List<DeadLetter> letters = deadLetters.stream().filter((letter) -> letter.topic().equals("always-fails")).toList();
			assertThat(letters).hasSize(1);
			assertThat(letters.get(0).attempts()).isEqualTo(3);
			assertThat(letters.get(0).body()).isEqualTo("hopeless");
			assertThat(letters.get(0).cause()).isInstanceOf(IllegalStateException.class).hasMessage("always fails");
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("always-fails").orElseThrow();
			assertThat(container.getDeadLetteredCount()).isEqualTo(1);
			assertThat(container.getFailedCount()).isEqualTo(3);
			assertThat(container.getRequeuedCount()).isEqualTo(2);
			var channel = nsqd.stats().channel("always-fails", "retries");
			assertThat(channel.depth()).isZero();
			assertThat(channel.inFlightCount()).isZero();
		});
	}

	@Test
	void malformedJsonIsDeadLetteredOnTheFirstAttempt() {
		nsqd.createChannel("typed", "retries");
		runner().run((context) -> {
			nsqd.publish("typed", "{not json");
			await().until(() -> deadLetters.stream().anyMatch((letter) -> letter.topic().equals("typed")));
			DeadLetter letter = deadLetters.stream().filter((l) -> l.topic().equals("typed")).findFirst().orElseThrow();
			assertThat(letter.attempts()).isEqualTo(1);
			assertThat(letter.cause()).isInstanceOf(NsqPayloadConversionException.class)
				.hasMessageContaining(Order.class.getName());
			assertThat(typedCalls).hasValue(0);
			await().untilAsserted(() -> {
				var channel = nsqd.stats().channel("typed", "retries");
				assertThat(channel.requeueCount()).isZero();
				assertThat(channel.depth()).isZero();
				assertThat(channel.inFlightCount()).isZero();
			});
		});
	}

	record Order(String id, int amount) {
	}

	record DeadLetter(String topic, String body, int attempts, Throwable cause) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(topic = "flaky")
		void flaky(String body, NsqMessage message) {
			flakyCalls.add(System.currentTimeMillis());
			if (message.attempts() < 3) {
				throw new IllegalStateException("not yet");
			}
		}

		@NsqListener(id = "always-fails", topic = "always-fails", maxAttempts = "3")
		void alwaysFails(String body) {
			alwaysFailingCalls.incrementAndGet();
			throw new IllegalStateException("always fails");
		}

		@NsqListener(topic = "typed")
		void typed(Order order) {
			typedCalls.incrementAndGet();
		}

		@Bean
		NsqDeadLetterHandler recordingDeadLetterHandler() {
			return (message, cause) -> deadLetters
				.add(new DeadLetter(message.topic(), new String(message.body()), message.attempts(), cause));
		}

	}

}

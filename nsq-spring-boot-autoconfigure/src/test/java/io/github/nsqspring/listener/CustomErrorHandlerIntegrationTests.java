package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.NsqErrorHandler.Decision;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An application's own {@link NsqErrorHandler} against a real nsqd: as a bean it replaces the default
 * policy of every listener of the auto-configured factory; named in {@code @NsqListener(errorHandler)} it
 * serves that listener only.
 */
class CustomErrorHandlerIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<Call> calls = new CopyOnWriteArrayList<>();

	static final List<String> deadLetters = new CopyOnWriteArrayList<>();

	@AfterEach
	void clear() {
		calls.clear();
		deadLetters.clear();
	}

	private ApplicationContextRunner runner() {
		// the default policy would retry 5 times after 10 s and more: what happens here is the custom policy's
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=policy",
					"nsq.consumer.backoff.initial=10s", "nsq.consumer.backoff.jitter=0")
			.withUserConfiguration(Listeners.class);
	}

	@Test
	void policyBeanDeadLettersOneTypeAfterTwoAttemptsAndRetriesAnotherEvery100Ms() {
		nsqd.createChannel("policy-fatal", "policy");
		nsqd.createChannel("policy-transient", "policy");
		runner().run((context) -> {
			nsqd.publish("policy-fatal", "fatal");
			nsqd.publish("policy-transient", "transient");
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.contains("fatal")
					&& calls.stream().filter((call) -> call.topic().equals("policy-transient")).count() == 4);
			List<Call> fatal = calls.stream().filter((call) -> call.topic().equals("policy-fatal")).toList();
			assertThat(fatal).extracting(Call::attempt).containsExactly(1, 2);
			List<Call> transientCalls = calls.stream().filter((call) -> call.topic().equals("policy-transient")).toList();
			assertThat(transientCalls).extracting(Call::attempt).containsExactly(1, 2, 3, 4);
			for (int i = 1; i < transientCalls.size(); i++) {
				long gap = transientCalls.get(i).millis() - transientCalls.get(i - 1).millis();
				assertThat(gap).as("delay before attempt %d (fixed 100 ms, not the default 10 s)", i + 1).isBetween(100L, 5000L);
			}
			await().untilAsserted(() -> {
				NsqStats.ChannelStats fatalChannel = nsqd.stats().channel("policy-fatal", "policy");
				assertThat(fatalChannel.requeueCount()).as("one requeue, then the dead letter").isEqualTo(1);
				assertThat(fatalChannel.depth()).isZero();
				assertThat(fatalChannel.inFlightCount()).isZero();
				assertThat(fatalChannel.deferredCount()).isZero();
				NsqStats.ChannelStats transientChannel = nsqd.stats().channel("policy-transient", "policy");
				assertThat(transientChannel.requeueCount()).isEqualTo(3);
				assertThat(transientChannel.depth()).isZero();
				assertThat(transientChannel.inFlightCount()).isZero();
			});
			assertThat(deadLetters).containsExactly("fatal");
			NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
			assertThat(registry.getContainer("fatal").orElseThrow().getDeadLetteredCount()).isEqualTo(1);
			assertThat(registry.getContainer("transient").orElseThrow().getFinishedCount()).isEqualTo(1);
		});
	}

	@Test
	void listenerNamingAnErrorHandlerUsesItInsteadOfTheFactorys() {
		nsqd.createChannel("policy-named", "policy");
		runner().run((context) -> {
			nsqd.publish("policy-named", "named");
			await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.contains("named"));
			assertThat(calls).filteredOn((call) -> call.topic().equals("policy-named")).extracting(Call::attempt)
				.containsExactly(1);
			await().untilAsserted(() -> {
				NsqStats.ChannelStats channel = nsqd.stats().channel("policy-named", "policy");
				assertThat(channel.requeueCount()).isZero();
				assertThat(channel.depth()).isZero();
				assertThat(channel.inFlightCount()).isZero();
			});
		});
	}

	record Call(String topic, int attempt, long millis) {
	}

	static class Fatal extends RuntimeException {

		Fatal() {
			super("fatal");
		}

	}

	static class Transient extends RuntimeException {

		Transient() {
			super("transient");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(id = "fatal", topic = "policy-fatal")
		void fatal(NsqMessage message) {
			calls.add(new Call(message.topic(), message.attempts(), System.currentTimeMillis()));
			throw new Fatal();
		}

		@NsqListener(id = "transient", topic = "policy-transient")
		void transientFailure(NsqMessage message) {
			calls.add(new Call(message.topic(), message.attempts(), System.currentTimeMillis()));
			if (message.attempts() < 4) {
				throw new Transient();
			}
		}

		@NsqListener(id = "named", topic = "policy-named", errorHandler = "deadLetterAtOnce")
		void named(NsqMessage message) {
			calls.add(new Call(message.topic(), message.attempts(), System.currentTimeMillis()));
			throw new Transient();
		}

		/** The application's policy: Fatal is dead-lettered after 2 attempts, Transient retried every 100 ms; primary beside the listener's own. */
		@Bean
		@Primary
		NsqErrorHandler policy() {
			return (message, failure, attempt) -> {
				if (failure instanceof Fatal) {
					return (attempt >= 2) ? Decision.deadLetter() : Decision.requeue(Duration.ofMillis(100));
				}
				return (failure instanceof Transient) ? Decision.requeue(Duration.ofMillis(100)) : Decision.deadLetter();
			};
		}

		@Bean
		NsqErrorHandler deadLetterAtOnce() {
			return (message, failure, attempt) -> Decision.deadLetter();
		}

		@Bean
		NsqDeadLetterHandler recordingDeadLetterHandler() {
			return (message, cause) -> deadLetters.add(new String(message.body()));
		}

	}

}

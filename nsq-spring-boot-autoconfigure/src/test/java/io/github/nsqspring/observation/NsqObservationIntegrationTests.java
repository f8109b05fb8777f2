package io.github.nsqspring.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.ObservationContextAssert;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** The {@code nsq.listener} and {@code nsq.template} observations in a {@link TestObservationRegistry}, against a real nsqd. */
class NsqObservationIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private ApplicationContextRunner runner() {
		return defaults().withPropertyValues("nsq.consumer.observation-enabled=true", "nsq.producer.observation-enabled=true");
	}

	private ApplicationContextRunner defaults() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=observed",
					"nsq.consumer.backoff.initial=100ms")
			.withBean(ObservationRegistry.class, () -> this.registry);
	}

	@Test
	void noObservationWhileTheyAreOffAsByDefault() {
		nsqd.createChannel("unobserved", "observed");
		defaults().withUserConfiguration(Unobserved.class).run((context) -> {
			NsqOperations operations = context.getBean(NsqOperations.class);
			operations.send("unobserved", "a");
			operations.sendAsync("unobserved", "b").join();
			operations.sendBatch("unobserved", List.of("c", "d"));
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				var channel = nsqd.stats().channel("unobserved", "observed");
				assertThat(channel.messageCount()).isEqualTo(4);
				assertThat(channel.depth()).isZero();
				assertThat(channel.inFlightCount()).isZero();
			});
			assertThat(Unobserved.handled).containsExactlyInAnyOrder("a", "b", "c", "d");
			TestObservationRegistryAssert.assertThat(this.registry).doesNotHaveAnyObservation();
		});
	}

	@Nested
	class Listener {

		@Test
		void oneObservationPerHandledMessageWithItsKeysOutcomeAndError() {
			nsqd.createChannel("observed", "observed");
			runner().withUserConfiguration(Outcomes.class).run((context) -> {
				nsqd.publish("observed", "ok");
				nsqd.publish("observed", "fails-once");
				nsqd.publish("observed", "always-fails");
				// ok: finished; fails-once: requeued, finished; always-fails (max 2 attempts): requeued, dead-lettered
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TestObservationRegistryAssert
					.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasNumberOfObservationsWithNameEqualTo("nsq.listener", 5)
					.forAllObservationsWithNameEqualTo("nsq.listener", Listener::hasBeenStopped));
				await().untilAsserted(() -> {
					var channel = nsqd.stats().channel("observed", "observed");
					assertThat(channel.depth()).isZero();
					assertThat(channel.inFlightCount()).isZero();
					assertThat(channel.requeueCount()).isEqualTo(2);
				});
				TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
					.forAllObservationsWithNameEqualTo("nsq.listener", (observation) -> observation
						.hasContextualNameEqualTo("observed process")
						.hasLowCardinalityKeyValue("nsq.listener", "outcomes")
						.hasLowCardinalityKeyValue("nsq.topic", "observed")
						.hasLowCardinalityKeyValue("nsq.channel", "observed")
						.hasLowCardinalityKeyValue("messaging.system", "nsq")
						.hasLowCardinalityKeyValue("messaging.destination.name", "observed"))
					.hasHandledContextsThatSatisfy((contexts) -> {
						List<NsqListenerObservationContext> listener = listenerContexts(contexts);
						Map<String, Long> outcomes = listener.stream()
							.collect(Collectors.groupingBy(this::bodyAndOutcome, Collectors.counting()));
						assertThat(outcomes).containsOnly(Map.entry("ok finished", 1L), Map.entry("fails-once requeued", 1L),
								Map.entry("fails-once finished", 1L), Map.entry("always-fails requeued", 1L),
								Map.entry("always-fails dead-lettered", 1L));
						for (NsqListenerObservationContext observed : listener) {
							assertThat(observed.getLowCardinalityKeyValue("nsq.outcome").getValue())
								.isEqualTo(observed.getOutcome());
							assertThat(observed.getHighCardinalityKeyValue("messaging.message.id").getValue())
								.isEqualTo(observed.getMessageId());
							if (observed.getOutcome().equals("finished")) {
								assertThat(observed.getError()).isNull();
							}
							else {
								assertThat(observed.getError()).isInstanceOf(IllegalStateException.class)
									.hasMessage("fails on purpose: " + Outcomes.bodies.get(observed.getMessageId()));
							}
						}
					});
			});
		}

		/** The outcome key has its value once the observation stopped (set at the start: none). */
		private static void hasBeenStopped(ObservationContextAssert<?> observation) {
			observation.doesNotHaveLowCardinalityKeyValue("nsq.outcome", "none");
		}

		private String bodyAndOutcome(NsqListenerObservationContext context) {
			return Outcomes.bodies.get(context.getMessageId()) + " " + context.getOutcome();
		}

		@Test
		void anObservationOpenedInTheListenerIsItsChildAndSoIsAPublish() {
			nsqd.createChannel("observed-parent", "observed");
			runner().withUserConfiguration(Nesting.class).run((context) -> {
				nsqd.publish("observed-parent", "nest");
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TestObservationRegistryAssert
					.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasNumberOfObservationsWithNameEqualTo("nsq.listener", 1)
					.forAllObservationsWithNameEqualTo("nsq.listener", Listener::hasBeenStopped));
				TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasObservationWithNameEqualTo("user.work")
					.that()
					.hasBeenStopped()
					.hasParentObservationContextMatching((parent) -> parent.getName().equals("nsq.listener")
							&& ((NsqListenerObservationContext) parent).getTopic().equals("observed-parent"));
				TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasObservationWithNameEqualTo("nsq.template")
					.that()
					.hasLowCardinalityKeyValue("nsq.topic", "observed-reply")
					.hasParentObservationContextMatching((parent) -> parent.getName().equals("nsq.listener"));
				TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasObservationWithNameEqualTo("nsq.listener")
					.that()
					.doesNotHaveParentObservation()
					.hasLowCardinalityKeyValue("nsq.outcome", "finished");
				assertThat(Nesting.currentInListener).hasSize(1);
				assertThat(Nesting.currentInListener.get(0).getContextView().getName()).isEqualTo("nsq.listener");
			});
		}

		@Test
		void aConventionBeanNamesTheKeys() {
			nsqd.createChannel("observed-convention", "observed");
			runner().withUserConfiguration(Nesting.class)
				.withBean(NsqListenerObservationConvention.class, () -> new DefaultNsqListenerObservationConvention() {

					@Override
					public KeyValues getLowCardinalityKeyValues(NsqListenerObservationContext context) {
						return super.getLowCardinalityKeyValues(context).and("team", "billing");
					}

				})
				.run((context) -> {
					nsqd.publish("observed-convention", "customized");
					await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TestObservationRegistryAssert
						.assertThat(NsqObservationIntegrationTests.this.registry)
						.hasObservationWithNameEqualTo("nsq.listener")
						.that()
						.hasBeenStopped()
						.hasLowCardinalityKeyValue("team", "billing")
						.hasLowCardinalityKeyValue("nsq.topic", "observed-convention"));
				});
		}

	}

	@Nested
	class Template {

		@Test
		void oneObservationPerPublish() {
			runner().run((context) -> {
				NsqOperations operations = context.getBean(NsqOperations.class);
				operations.send("observed-sends", "a");
				operations.sendAsync("observed-sends", "b").join();
				operations.sendBatch("observed-sends", List.of("c", "d"));
				operations.sendDeferred("observed-sends", "e", Duration.ofMillis(10));
				await().untilAsserted(() -> TestObservationRegistryAssert
					.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasNumberOfObservationsWithNameEqualTo("nsq.template", 4)
					.forAllObservationsWithNameEqualTo("nsq.template", (observation) -> observation
						.doesNotHaveError()
						.hasContextualNameEqualTo("observed-sends send")
						.hasLowCardinalityKeyValue("nsq.topic", "observed-sends")
						.hasLowCardinalityKeyValue("nsq.result", "success")
						.hasLowCardinalityKeyValue("messaging.system", "nsq")
						.hasLowCardinalityKeyValue("messaging.destination.name", "observed-sends")));
				TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
					.hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts.stream()
						.map((observed) -> observed.getLowCardinalityKeyValue("nsq.operation").getValue()))
						.containsExactlyInAnyOrder("send", "sendAsync", "sendBatch", "sendDeferred"));
				assertThat(nsqd.stats().topic("observed-sends").messageCount()).isEqualTo(5);
			});
		}

		@Test
		void aFailedPublishIsAFailureWithItsError() {
			runner().withPropertyValues("nsq.nsqd-addresses=127.0.0.1:" + TestSocketUtils.findAvailableTcpPort(),
					"nsq.producer.timeout=1s")
				.run((context) -> {
					NsqOperations operations = context.getBean(NsqOperations.class);
					NsqPublishException failure = catchPublishException(() -> operations.send("observed-down", "lost?"));
					assertThatExceptionOfType(Exception.class)
						.isThrownBy(() -> operations.sendAsync("observed-down", "lost?").join());
					await().untilAsserted(() -> TestObservationRegistryAssert
						.assertThat(NsqObservationIntegrationTests.this.registry)
						.hasNumberOfObservationsWithNameEqualTo("nsq.template", 2)
						.forAllObservationsWithNameEqualTo("nsq.template", (observation) -> observation
							.hasLowCardinalityKeyValue("nsq.result", "failure")
							.assertThatError()
							.isInstanceOf(NsqPublishException.class)));
					TestObservationRegistryAssert.assertThat(NsqObservationIntegrationTests.this.registry)
						.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("nsq.operation", "send")
							.hasError(failure));
				});
		}

		private NsqPublishException catchPublishException(Runnable publish) {
			try {
				publish.run();
			}
			catch (NsqPublishException ex) {
				return ex;
			}
			throw new AssertionError("The publish did not fail");
		}

	}

	static List<NsqListenerObservationContext> listenerContexts(List<Observation.Context> contexts) {
		return contexts.stream()
			.filter(NsqListenerObservationContext.class::isInstance)
			.map(NsqListenerObservationContext.class::cast)
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Unobserved {

		static final List<String> handled = new CopyOnWriteArrayList<>();

		@NsqListener(topic = "unobserved")
		void onMessage(String body) {
			handled.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Outcomes {

		static final Map<String, String> bodies = new ConcurrentHashMap<>();

		@NsqListener(id = "outcomes", topic = "observed", maxAttempts = "2")
		void onMessage(NsqMessage message) {
			String body = new String(message.body());
			bodies.put(message.id(), body);
			if (body.equals("always-fails") || (body.equals("fails-once") && message.attempts() == 1)) {
				throw new IllegalStateException("fails on purpose: " + body);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Nesting {

		static final List<Observation> currentInListener = new CopyOnWriteArrayList<>();

		@Bean
		NestingListener nestingListener(ObservationRegistry registry, NsqOperations operations) {
			return new NestingListener(registry, operations);
		}

	}

	static class NestingListener {

		private final ObservationRegistry registry;

		private final NsqOperations operations;

		NestingListener(ObservationRegistry registry, NsqOperations operations) {
			this.registry = registry;
			this.operations = operations;
		}

		@NsqListener(topic = "observed-parent")
		void onMessage(String body) {
			Nesting.currentInListener.add(this.registry.getCurrentObservation());
			Observation.createNotStarted("user.work", this.registry).observe(() -> {
			});
			this.operations.send("observed-reply", body);
		}

		@NsqListener(topic = "observed-convention")
		void onCustomized(String body) {
		}

	}

}

package io.github.nsqspring.listener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** {@code nsq.consumer.dead-letter-topic}: exhausted messages are published, unchanged, to the dead-letter topic. */
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterTopicIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<String> deadBodies = new CopyOnWriteArrayList<>();

	static final List<Integer> deadAttempts = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=dlq",
					"nsq.consumer.dead-letter-topic={topic}.dead", "nsq.consumer.backoff.initial=100ms");
	}

	@Test
	void exhaustedAndUnconvertibleMessagesArePublishedToTheDeadLetterTopic() {
		nsqd.createChannel("dlq-source", "dlq");
		nsqd.createChannel("dlq-typed", "dlq");
		runner().withUserConfiguration(Listeners.class).run((context) -> {
			nsqd.publish("dlq-source", "cannot be handled");
			nsqd.publish("dlq-typed", "[not an object]");
			await().untilAsserted(() -> assertThat(deadBodies).containsExactlyInAnyOrder("cannot be handled", "[not an object]"));
			assertThat(deadAttempts).containsOnly(1);
			assertThat(nsqd.stats().topic("dlq-source.dead").messageCount()).isEqualTo(1);
			assertThat(nsqd.stats().topic("dlq-typed.dead").messageCount()).isEqualTo(1);
			await().untilAsserted(() -> {
				assertThat(nsqd.stats().channel("dlq-source", "dlq").depth()).isZero();
				assertThat(nsqd.stats().channel("dlq-source", "dlq").inFlightCount()).isZero();
				assertThat(nsqd.stats().channel("dlq-source", "dlq").requeueCount()).isEqualTo(1);
			});
		});
	}

	@Test
	void invalidDeadLetterTopicFailsStartupNamingTheProperty() {
		runner().withPropertyValues("nsq.consumer.dead-letter-topic={topic} dead").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("nsq.consumer.dead-letter-topic '{topic} dead' is invalid");
		});
	}

	@Test
	void deadLettersOfAnEphemeralTopicGoToTheDeadLetterTopicBeforeTheEphemeralSuffix(CapturedOutput output) {
		runner().withUserConfiguration(EphemeralListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("dlq-eph#ephemeral", "dlq").clientCount()).isOne());
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("dlq-eph.dead#ephemeral", "dlq").clientCount()).isOne());
			nsqd.publish("dlq-eph#ephemeral", "poison");
			await().untilAsserted(() -> assertThat(ephemeralDeadBodies).containsExactly("poison"));
			await().untilAsserted(() -> assertThat(nsqd.stats().channel("dlq-eph#ephemeral", "dlq").requeueCount()).isZero());
			assertThat(output).containsOnlyOnce("Dead letter: message ")
				.contains("of topic 'dlq-eph#ephemeral', channel 'dlq' after 1 attempt(s) published to topic 'dlq-eph.dead#ephemeral'");
		});
	}

	@Test
	void aListenerWhoseDeadLetterTopicIsTooLongFailsStartupNamingTheListenerAndTheName() {
		runner().withUserConfiguration(LongTopicListener.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure())
				.hasStackTraceContaining("LongTopicListener.handle of bean 'deadLetterTopicIntegrationTests.LongTopicListener' is "
						+ "invalid: its dead-letter topic '" + LONG_TOPIC + ".dead' (nsq.consumer.dead-letter-topic '{topic}.dead'");
		});
	}

	@Test
	void deadLetterTopicNamesFromThePattern() {
		DeadLetterTopicPublisher publisher = new DeadLetterTopicPublisher(null, "{topic}.dead");
		assertThat(publisher.deadLetterTopic("orders")).isEqualTo("orders.dead");
		assertThat(publisher.deadLetterTopic("orders#ephemeral")).isEqualTo("orders.dead#ephemeral");
		DeadLetterTopicPublisher fixed = new DeadLetterTopicPublisher(null, "dead-letters");
		assertThat(fixed.deadLetterTopic("orders#ephemeral")).isEqualTo("dead-letters");
	}

	@Test
	void aDeadLetterTopicThatIsTheListenersOwnTopicIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DeadLetterTopicPublisher(null, "{topic}").validateFor("orders"))
			.withMessage("its dead-letter topic 'orders' (nsq.consumer.dead-letter-topic '{topic}' for topic 'orders') is the "
					+ "listener's own topic: its dead letters would be delivered to it again, forever");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DeadLetterTopicPublisher(null, "{topic}#ephemeral").validateFor("orders#ephemeral"));
		new DeadLetterTopicPublisher(null, "dead-letters").validateFor("orders");
	}

	static final String LONG_TOPIC = "a-topic-name-of-sixty-characters-which-nsq-allows-0123456789";

	static final List<String> ephemeralDeadBodies = new CopyOnWriteArrayList<>();

	@Configuration(proxyBeanMethods = false)
	static class EphemeralListeners {

		@NsqListener(topic = "dlq-eph#ephemeral", maxAttempts = "1")
		void failing(String body) {
			throw new IllegalStateException("always");
		}

		@NsqListener(topic = "dlq-eph.dead#ephemeral")
		void dead(String body) {
			ephemeralDeadBodies.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LongTopicListener {

		@NsqListener(topic = LONG_TOPIC)
		void handle(String body) {
		}

	}

	record Order(String id) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Listeners {

		@NsqListener(topic = "dlq-source", maxAttempts = "2")
		void failing(String body) {
			throw new IllegalStateException("always");
		}

		@NsqListener(topic = "dlq-typed")
		void typed(Order order) {
		}

		@NsqListener(topic = "dlq-source.dead")
		void deadSource(String body, NsqMessage message) {
			deadBodies.add(body);
			deadAttempts.add(message.attempts());
		}

		@NsqListener(topic = "dlq-typed.dead")
		void deadTyped(String body, NsqMessage message) {
			deadBodies.add(body);
			deadAttempts.add(message.attempts());
		}

	}

}

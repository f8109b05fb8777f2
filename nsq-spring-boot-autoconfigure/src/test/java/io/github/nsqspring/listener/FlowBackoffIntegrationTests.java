package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flow backoff against a real nsqd, read from /stats: RDY 0 for the window, RDY 1 to probe, full RDY
 * after successes; off, failures leave RDY alone. Also: not-retryable exceptions go to the dead-letter
 * handler on the first attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
class FlowBackoffIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final AtomicBoolean failing = new AtomicBoolean();

	static final AtomicInteger calls = new AtomicInteger();

	static final List<String> deadLetters = new CopyOnWriteArrayList<>();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=flow",
					"nsq.consumer.max-in-flight=5", "nsq.consumer.max-attempts=100", "nsq.consumer.backoff.initial=100ms",
					"nsq.consumer.flow-backoff.initial=2s", "nsq.consumer.flow-backoff.max=30s")
			.withUserConfiguration(DeadLetters.class);
	}

	@Test
	void failuresThrottleRdyAndSuccessesRestoreIt(CapturedOutput output) {
		nsqd.createChannel("throttled", "flow");
		failing.set(true);
		calls.set(0);
		// requeue delays longer than the level 1 window: the probe's RDY 1 lasts until the message comes back
		runner().withPropertyValues("test.flow-backoff=true", "nsq.consumer.backoff.initial=5s", "nsq.consumer.backoff.max=5s")
			.withUserConfiguration(ThrottledListener.class)
			.run((context) -> {
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("throttled").orElseThrow();
			await().untilAsserted(() -> assertThat(readyCount("throttled")).isEqualTo(5));

			nsqd.publish("throttled", "fails");
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(container.getState()).isEqualTo(ContainerState.BACKING_OFF);
				assertThat(container.getStats().getBackoffLevel()).isEqualTo(1);
				assertThat(readyCount("throttled")).as("RDY during the level 1 window").isZero();
			});
			assertThat(container.getStats().getBackoffWindowMillis()).isBetween(1800L, 2200L);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(readyCount("throttled")).as("RDY of the probe").isEqualTo(1));
			// the requeued message comes back on the probe and fails again: level 2, RDY 0
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				assertThat(container.getStats().getBackoffLevel()).isEqualTo(2);
				assertThat(readyCount("throttled")).as("RDY during the level 2 window").isZero();
			});
			assertThat(container.getStats().getBackoffWindowMillis()).isBetween(3600L, 4400L);

			failing.set(false);
			nsqd.publishBatch("throttled", IntStream.range(0, 10).mapToObj((i) -> "ok-" + i).toList());
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				assertThat(container.getStats().getBackoffLevel()).isZero();
				assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
				assertThat(readyCount("throttled")).as("full RDY after successes").isEqualTo(5);
			});
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				var channel = nsqd.stats().channel("throttled", "flow");
				assertThat(channel.depth()).isZero();
				assertThat(channel.inFlightCount()).isZero();
				assertThat(channel.deferredCount()).isZero();
			});
			assertThat(container.getFinishedCount()).isEqualTo(11);
		});
		assertThat(occurrences(output, "Listener 'throttled' backs off: level 1,")).as("level 1 on the way up and down").isEqualTo(2);
		assertThat(occurrences(output, "Listener 'throttled' backs off: level 2,")).isEqualTo(1);
		assertThat(occurrences(output, "Listener 'throttled' recovered from flow backoff")).isEqualTo(1);
	}

	@Test
	void pauseResumeAndDrainDuringABackoffWindow() {
		nsqd.createChannel("paused-backoff", "flow");
		failing.set(true);
		runner().withPropertyValues("test.topic=paused-backoff", "test.flow-backoff=true", "nsq.consumer.flow-backoff.initial=60s",
				"nsq.consumer.flow-backoff.max=60s").withUserConfiguration(FailingListener.class).run((context) -> {
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class)
				.getContainer("paused-backoff")
				.orElseThrow();
			nsqd.publish("paused-backoff", "fails");
			await().atMost(Duration.ofSeconds(10)).until(() -> container.getState() == ContainerState.BACKING_OFF);
			container.pause();
			assertThat(container.getState()).isEqualTo(ContainerState.PAUSED);
			container.resume();
			assertThat(container.getState()).isEqualTo(ContainerState.BACKING_OFF);
			await().untilAsserted(() -> assertThat(readyCount("paused-backoff")).isZero());
			long start = System.nanoTime();
			container.stop();
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the drain does not wait for the 60 s window")
				.isLessThan(Duration.ofSeconds(20));
			assertThat(container.getState()).isEqualTo(ContainerState.STOPPED);
			assertThat(container.getStats().getBackoffLevel()).isZero();
			assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().equals("nsq-backoff-paused-backoff"));
		});
	}

	@Test
	void withFlowBackoffOffFailuresKeepFullRdy() {
		nsqd.createChannel("unthrottled", "flow");
		failing.set(true);
		calls.set(0);
		runner().withPropertyValues("nsq.consumer.flow-backoff.enabled=true", "test.flow-backoff=false")
			.withPropertyValues("test.topic=unthrottled").withUserConfiguration(FailingListener.class)
			.run((context) -> {
			NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("unthrottled").orElseThrow();
			nsqd.publishBatch("unthrottled", List.of("a", "b", "c"));
			await().atMost(Duration.ofSeconds(10)).until(() -> container.getFailedCount() >= 6);
			assertThat(readyCount("unthrottled")).isEqualTo(5);
			assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
			assertThat(container.getStats().getBackoffLevel()).isZero();
			failing.set(false);
		});
	}

	@Test
	void notRetryableExceptionIsDeadLetteredOnTheFirstAttempt() {
		nsqd.createChannel("not-retryable", "flow");
		deadLetters.clear();
		runner().withPropertyValues("nsq.consumer.not-retryable-exceptions=java.lang.IllegalArgumentException")
			.withUserConfiguration(NotRetryableListener.class)
			.run((context) -> {
			nsqd.publish("not-retryable", "bad input");
			await().atMost(Duration.ofSeconds(10)).until(() -> !deadLetters.isEmpty());
			await().untilAsserted(() -> {
				var channel = nsqd.stats().channel("not-retryable", "flow");
				assertThat(channel.finishCount()).isEqualTo(1);
				assertThat(channel.requeueCount()).isZero();
			});
			assertThat(deadLetters).containsExactly("bad input attempts=1 cause=IllegalArgumentException");
		});
	}

	private static long readyCount(String topic) {
		return nsqd.stats().channel(topic, "flow").readyCount();
	}

	private static int occurrences(CapturedOutput output, String text) {
		return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
	}

	@Configuration(proxyBeanMethods = false)
	static class ThrottledListener {

		@NsqListener(id = "throttled", topic = "throttled", flowBackoff = "${test.flow-backoff}")
		void throttled(String body) {
			calls.incrementAndGet();
			if (failing.get()) {
				throw new IllegalStateException("downstream is down");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListener {

		@NsqListener(id = "${test.topic}", topic = "${test.topic}", flowBackoff = "${test.flow-backoff}")
		void failing(String body) {
			if (failing.get()) {
				throw new IllegalStateException("downstream is down");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotRetryableListener {

		@NsqListener(id = "not-retryable", topic = "not-retryable")
		void notRetryable(String body) {
			throw new IllegalStateException("wrapped", new IllegalArgumentException("bad input"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeadLetters {

		@Bean
		NsqDeadLetterHandler recordingDeadLetterHandler() {
			return (message, cause) -> deadLetters.add(new String(message.body()) + " attempts=" + message.attempts() + " cause="
					+ cause.getCause().getClass().getSimpleName());
		}

	}

}

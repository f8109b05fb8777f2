package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The core promise: on context close every container drains at once, running handlers finish, nothing
 * else is handled, everything else goes back to nsqd at once, and a second run handles each message
 * exactly once more. Subclasses give the nsqd and how to connect to it.
 */
abstract class AbstractParallelDrainIntegrationTests {

	static final List<String> TOPICS = List.of("drain-a", "drain-b", "drain-c", "drain-d");

	static final String CHANNEL = "drain";

	static final int PER_TOPIC = 50;

	/** The nsqd the test runs against. */
	abstract NsqServer server();

	/** How the application connects to {@link #server()}. */
	abstract String[] connectionProperties();

	@Test
	void closeDrainsAllContainersInParallelAndLosesNothing() throws Exception {
		NsqServer nsqd = server();
		for (String topic : TOPICS) {
			nsqd.createChannel(topic, CHANNEL);
			for (int i = 0; i < PER_TOPIC; i++) {
				nsqd.publish(topic, topic + "#" + i);
			}
		}
		Handled firstRun = new Handled();
		long[] closeBegan = new long[1];
		long[] closeMillis = new long[1];
		runner(SlowListeners.class, firstRun).run((context) -> {
			assertThat(firstRun.firstStart.await(20, TimeUnit.SECONDS)).isTrue();
			Thread.sleep(1000);
			closeBegan[0] = System.nanoTime();
			context.close();
			closeMillis[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeBegan[0]);
		});

		assertThat(closeMillis[0]).as("close time (handlers of 3 s started about 1 s before close, 4 containers)")
			.isLessThan(3000 + 1500);
		assertThat(firstRun.completed).as("every started handler completed").containsExactlyInAnyOrderElementsOf(firstRun.started.keySet());
		assertThat(firstRun.started.values()).as("no handler started after close began").allMatch((start) -> start < closeBegan[0]);
		assertThat(firstRun.started).hasSizeGreaterThanOrEqualTo(TOPICS.size() * 2);

		NsqStats stats = nsqd.stats();
		for (String topic : TOPICS) {
			NsqStats.ChannelStats channel = stats.channel(topic, CHANNEL);
			long finished = firstRun.completed.stream().filter((body) -> body.startsWith(topic + "#")).count();
			assertThat(channel.depth() + finished).as(topic + ": depth + finished = published").isEqualTo(PER_TOPIC);
			assertThat(channel.inFlightCount()).as(topic + " in flight").isZero();
			assertThat(channel.deferredCount()).as(topic + " deferred").isZero();
			assertThat(channel.timeoutCount()).as(topic + " timeouts").isZero();
		}

		Handled secondRun = new Handled();
		runner(FastListeners.class, secondRun).run((context) -> await().atMost(Duration.ofSeconds(30))
			.until(() -> secondRun.completed.size() + firstRun.completed.size() >= TOPICS.size() * PER_TOPIC));

		List<String> all = new ArrayList<>(firstRun.completed);
		all.addAll(secondRun.completed);
		List<String> expected = new ArrayList<>();
		TOPICS.forEach((topic) -> {
			for (int i = 0; i < PER_TOPIC; i++) {
				expected.add(topic + "#" + i);
			}
		});
		assertThat(all).as("each message handled exactly once across both runs").containsExactlyInAnyOrderElementsOf(expected);
		assertThat(firstRun.ids).doesNotContainAnyElementsOf(secondRun.ids);
		for (String topic : TOPICS) {
			assertThat(nsqd.stats().channel(topic, CHANNEL).timeoutCount()).isZero();
		}
	}

	private ApplicationContextRunner runner(Class<?> listeners, Handled handled) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class))
			.withPropertyValues(connectionProperties())
			.withPropertyValues("nsq.consumer.default-channel=" + CHANNEL)
			.withBean(Handled.class, () -> handled)
			.withUserConfiguration(listeners);
	}

	/** What the handlers saw: bodies with their start time, completed bodies, message ids. */
	static class Handled {

		final Map<String, Long> started = new ConcurrentHashMap<>();

		final List<String> completed = new CopyOnWriteArrayList<>();

		final Set<String> ids = ConcurrentHashMap.newKeySet();

		final CountDownLatch firstStart = new CountDownLatch(1);

		void handle(String body, NsqMessage message, long sleepMillis) throws InterruptedException {
			this.started.put(body, System.nanoTime());
			this.firstStart.countDown();
			Thread.sleep(sleepMillis);
			this.ids.add(message.id());
			this.completed.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowListeners {

		private final Handled handled;

		SlowListeners(Handled handled) {
			this.handled = handled;
		}

		@NsqListener(topic = "drain-a", concurrency = "2", maxInFlight = "10")
		void a(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 3000);
		}

		@NsqListener(topic = "drain-b", concurrency = "2", maxInFlight = "10")
		void b(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 3000);
		}

		@NsqListener(topic = "drain-c", concurrency = "2")
		void c(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 3000);
		}

		@NsqListener(topic = "drain-d", concurrency = "2")
		void d(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 3000);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FastListeners {

		private final Handled handled;

		FastListeners(Handled handled) {
			this.handled = handled;
		}

		@NsqListener(topic = "drain-a", concurrency = "2", maxInFlight = "20")
		void a(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 0);
		}

		@NsqListener(topic = "drain-b", concurrency = "2", maxInFlight = "20")
		void b(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 0);
		}

		@NsqListener(topic = "drain-c", concurrency = "2", maxInFlight = "20")
		void c(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 0);
		}

		@NsqListener(topic = "drain-d", concurrency = "2", maxInFlight = "20")
		void d(String body, NsqMessage message) throws InterruptedException {
			this.handled.handle(body, message, 0);
		}

	}

}

package io.github.nsqspring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.nsqspring.core.NsqdStatsReader;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.listener.NsqMessageListener;
import io.github.nsqspring.support.SnowflakeIdGenerator;
import io.github.nsqspring.test.NsqServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code nsq.channel.*} meters of listeners connected directly to two real nsqd, read every 200 ms by a
 * {@link ChannelBacklogMonitor}, compared with what each nsqd's {@code /stats} says.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChannelBacklogIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final String CHANNEL = "backlog";

	/** Fails each message's first attempt (requeued after the backoff) and finishes the second. */
	private static final NsqMessageListener FAILS_FIRST_ATTEMPT = (message) -> {
		if (message.attempts() == 1) {
			throw new IllegalStateException("first attempt fails");
		}
	};

	@RegisterExtension
	static NsqServer first = NsqServer.create();

	@RegisterExtension
	static NsqServer second = NsqServer.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final NsqListenerRegistry registry = new NsqListenerRegistry(new SnowflakeIdGenerator(1));

	private final Semaphore permits = new Semaphore(0);

	private ChannelBacklogMonitor monitor;

	@BeforeEach
	void startMonitor() {
		this.monitor = new ChannelBacklogMonitor(this.registry, new NsqdStatsReader(Duration.ofSeconds(1), null),
				List.of(first.tcpAddress(), second.tcpAddress()), List.of(first.httpAddress(), second.httpAddress()), INTERVAL);
		this.monitor.pollContinuously(new NsqChannelMetrics(this.meters)::register);
		this.monitor.start();
		this.registry.start();
	}

	@AfterEach
	void stop() {
		this.permits.release(10_000);
		this.registry.stop();
		this.monitor.close();
	}

	@Nested
	class OneNsqd {

		@Test
		void depthRisesWithPublishedMessagesAndFallsAsTheListenerCatchesUp() {
			first.createChannel("backlog-rise", CHANNEL);
			listener("rising", "backlog-rise", List.of(first), (message) -> ChannelBacklogIntegrationTests.this.permits.acquire());
			await().untilAsserted(() -> assertThat(gauge("nsq.channel.depth", "rising")).isZero());

			first.publishBatch("backlog-rise", bodies(50));
			// max-in-flight 1: one message waits at the blocked handler, the other 49 on nsqd
			awaitDepth("rising", first, "backlog-rise", 49);
			assertThat(gauge("nsq.channel.in-flight", "rising")).isEqualTo(1);

			ChannelBacklogIntegrationTests.this.permits.release(20);
			awaitDepth("rising", first, "backlog-rise", 29);

			ChannelBacklogIntegrationTests.this.permits.release(100);
			awaitDepth("rising", first, "backlog-rise", 0);
			await().untilAsserted(() -> assertThat(gauge("nsq.channel.in-flight", "rising")).isZero());
		}

		@Test
		void aPausedListenersDepthGrows() {
			first.createChannel("backlog-paused", CHANNEL);
			NsqListenerContainer container = listener("paused", "backlog-paused", List.of(first), (message) -> {
			});
			container.pause();
			first.publishBatch("backlog-paused", bodies(10));
			awaitDepth("paused", first, "backlog-paused", 10);
			first.publishBatch("backlog-paused", bodies(15));
			awaitDepth("paused", first, "backlog-paused", 25);
			container.resume();
			awaitDepth("paused", first, "backlog-paused", 0);
		}

		@Test
		void requeuedAndDeferredFollowNsqd() {
			first.createChannel("backlog-requeue", CHANNEL);
			listener("requeuing", "backlog-requeue", List.of(first), (properties) -> properties.setBackoffInitial(Duration.ofSeconds(3)),
					FAILS_FIRST_ATTEMPT);
			first.publish("backlog-requeue", "m");
			// requeued with a 3 s delay: deferred on nsqd meanwhile
			await().untilAsserted(() -> {
				assertThat(counter("nsq.channel.requeued", "requeuing")).isEqualTo(1)
					.isEqualTo(first.stats().channel("backlog-requeue", CHANNEL).requeueCount());
				assertThat(gauge("nsq.channel.deferred", "requeuing")).isEqualTo(1);
			});
			await().untilAsserted(() -> {
				assertThat(gauge("nsq.channel.deferred", "requeuing")).isZero();
				assertThat(gauge("nsq.channel.in-flight", "requeuing")).isZero();
				assertThat(first.stats().channel("backlog-requeue", CHANNEL).finishCount()).isEqualTo(1);
			});
			assertThat(counter("nsq.channel.requeued", "requeuing")).isEqualTo(1);
			assertThat(counter("nsq.channel.timed-out", "requeuing")).isZero();
		}

	}

	@Nested
	class TwoNsqd {

		@Test
		void sumsOverTheNsqdAndSkipsOneKilledMidRunWithOneWarnUntilItComesBack(CapturedOutput output) {
			String topic = "backlog-outage";
			first.createChannel(topic, CHANNEL);
			second.createChannel(topic, CHANNEL);
			// a RDY count for each nsqd: with max-in-flight 1 one connection would wait for the other's turn
			NsqListenerContainer container = listener("spread", topic, List.of(first, second), (properties) -> properties.setMaxInFlight(4),
					FAILS_FIRST_ATTEMPT);
			await().until(() -> container.getConnectionCount() == 2);
			first.publishBatch(topic, bodies(2));
			second.publishBatch(topic, bodies(2));
			await().untilAsserted(() -> assertThat(counter("nsq.channel.requeued", "spread")).isEqualTo(4)
				.isEqualTo(requeueCount(first, topic) + requeueCount(second, topic)));
			await().until(() -> first.stats().channel(topic, CHANNEL).finishCount()
					+ second.stats().channel(topic, CHANNEL).finishCount() == 4);

			container.pause();
			first.publishBatch(topic, bodies(3));
			second.publishBatch(topic, bodies(4));
			await().untilAsserted(() -> assertThat(gauge("nsq.channel.depth", "spread")).isEqualTo(7));
			assertThat(ChannelBacklogIntegrationTests.this.monitor.backlog(container).nsqd())
				.containsOnlyKeys(first.httpAddress(), second.httpAddress());

			second.kill();
			await().untilAsserted(() -> {
				ChannelBacklog backlog = ChannelBacklogIntegrationTests.this.monitor.backlog(container);
				assertThat(backlog.nsqd().get(second.httpAddress()).error()).isNotBlank();
				assertThat(backlog.depth()).isEqualTo(3);
			});
			// several reads during the outage: one WARN, the counters keep what the killed nsqd had counted
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(gauge("nsq.channel.depth", "spread")).isEqualTo(3));
			assertThat(count(output.getOut(), "does not answer /stats")).isEqualTo(1);
			assertThat(count(output.getOut(), "WARN  [nsq-channel-stats] i.g.n.actuate.ChannelBacklogMonitor - nsqd "
					+ second.httpAddress() + " does not answer /stats (")).isEqualTo(1);
			assertThat(counter("nsq.channel.requeued", "spread")).isEqualTo(4);

			// restarted after kill -9: its messages in memory are gone and its requeue count starts from 0
			second.start();
			await().untilAsserted(() -> assertThat(count(output.getOut(), "nsqd " + second.httpAddress() + " answers /stats again"))
				.isEqualTo(1));
			await().until(() -> container.getConnectionCount() == 2);
			second.publishBatch(topic, bodies(5));
			await().untilAsserted(() -> assertThat(gauge("nsq.channel.depth", "spread")).isEqualTo(3 + 5)
				.isEqualTo(depth(first, topic) + depth(second, topic)));
			assertThat(requeueCount(second, topic)).isZero();
			assertThat(counter("nsq.channel.requeued", "spread")).isEqualTo(4);

			container.resume();
			// each of the 8 waiting messages fails once more: the counter goes on from 4, nsqd's sum from 2
			await().untilAsserted(() -> assertThat(counter("nsq.channel.requeued", "spread")).isEqualTo(4 + 8));
			assertThat(requeueCount(first, topic) + requeueCount(second, topic)).isEqualTo(2 + 8);
			assertThat(count(output.getOut(), "does not answer /stats")).isEqualTo(1);
		}

	}

	private NsqListenerContainer listener(String name, String topic, List<NsqServer> nsqd, NsqMessageListener handler) {
		return listener(name, topic, nsqd, (properties) -> {
		}, handler);
	}

	private NsqListenerContainer listener(String name, String topic, List<NsqServer> nsqd, Consumer<ContainerProperties> customizer,
			NsqMessageListener handler) {
		ContainerProperties properties = new ContainerProperties(topic, CHANNEL);
		properties.setName(name);
		properties.setNsqdAddresses(nsqd.stream().map(NsqServer::tcpAddress).toList());
		properties.setBackoffInitial(Duration.ofMillis(100));
		properties.setShutdownTimeout(Duration.ofSeconds(1));
		customizer.accept(properties);
		NsqListenerContainer container = new NsqListenerContainer(this.registry.nextContainerId(), properties, handler,
				(message, cause) -> {
				});
		this.registry.registerListenerContainer(container);
		await().until(() -> container.getConnectionCount() == nsqd.size());
		return container;
	}

	/** Waits until nsqd's depth is the expected one and the gauge shows it too. */
	private void awaitDepth(String listener, NsqServer nsqd, String topic, long expected) {
		await().untilAsserted(() -> {
			assertThat(depth(nsqd, topic)).isEqualTo(expected);
			assertThat(gauge("nsq.channel.depth", listener)).isEqualTo(expected);
		});
	}

	private double gauge(String name, String listener) {
		Gauge gauge = this.meters.find(name).tags("listener", listener, "channel", CHANNEL).gauge();
		return (gauge != null) ? gauge.value() : Double.NaN;
	}

	private double counter(String name, String listener) {
		FunctionCounter counter = this.meters.find(name).tags("listener", listener, "channel", CHANNEL).functionCounter();
		return (counter != null) ? counter.count() : Double.NaN;
	}

	private static long depth(NsqServer nsqd, String topic) {
		return nsqd.stats().channel(topic, CHANNEL).depth();
	}

	private static long requeueCount(NsqServer nsqd, String topic) {
		return nsqd.stats().channel(topic, CHANNEL).requeueCount();
	}

	private static List<String> bodies(int count) {
		return IntStream.range(0, count).mapToObj((i) -> "m" + i).toList();
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

}

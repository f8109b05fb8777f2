package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.support.NsqVersion;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The IDENTIFY settings of listener connections against a real nsqd: compression, message timeout,
 * sample rate, user agent and client id, each read back from nsqd's /stats.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConsumerIdentifyIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final Set<String> received = ConcurrentHashMap.newKeySet();

	static final AtomicInteger slowCalls = new AtomicInteger();

	static final AtomicInteger sampled = new AtomicInteger();

	static volatile CountDownLatch untouchedTimedOut;

	static volatile long untouchedStarted;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=identify");
	}

	@Test
	void snappyRoundTrip() {
		roundTrip("snappy", "compressed");
	}

	@Test
	void deflateRoundTrip() {
		roundTrip("deflate", "compressed");
	}

	private void roundTrip(String compression, String topic, String... properties) {
		nsqd.createChannel(topic, "identify");
		received.clear();
		runner().withPropertyValues("nsq.consumer.compression=" + compression, "nsq.consumer.max-in-flight=10")
			.withPropertyValues(properties)
			.withUserConfiguration(CompressedListener.class)
			.run((context) -> {
				List<String> bodies = IntStream.range(0, 50).mapToObj((i) -> compression + "-" + i + "-" + "x".repeat(i * 20)).toList();
				nsqd.publishBatch(topic, bodies);
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(bodies));
				NsqStats.ClientStats client = nsqd.stats().channel(topic, "identify").clients().get(0);
				assertThat(client.snappy()).isEqualTo(compression.equals("snappy"));
				assertThat(client.deflate()).isEqualTo(compression.equals("deflate"));
				assertThat(client.clientId()).isEqualTo("compressed");
				assertThat(client.userAgent()).isEqualTo(NsqVersion.userAgent()).matches("nsq-spring-boot/\\d+\\.\\d+\\.\\d+.*");
				assertThat(client.hostname()).isNotBlank();
				// nsqd's IDENTIFY answers are compared with the settings once a second
				Thread.sleep(1500);
				// the listener's frame check reads the decoded frames: it saw the OK to SUB and lets CLOSE_WAIT through
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainers().iterator().next();
				assertThat(container.getConnectionCount()).isOne();
				container.stop();
				assertThat(container.getLastDrain().connectionsClosed()).isOne();
			});
	}

	@Test
	void deflateLevelAboveNsqdsMaximumIsLoweredByNsqdAndLoggedOnce(CapturedOutput output) {
		roundTrip("deflate", "compressed", "nsq.consumer.deflate-level=9");
		String clamped = "answered IDENTIFY of listener 'compressed' with deflate level 6 instead of nsq.consumer.deflate-level=9";
		assertThat(output.getAll().split(java.util.regex.Pattern.quote(clamped), -1)).hasSize(2);
	}

	/**
	 * The first call runs until nsqd has timed its message out (at most 15 s). nsqd finds expired messages
	 * only in channels its queue scanner knows, a list it refreshes every 5 s, and it accepts a FIN that
	 * comes before the scan: a handler of a fixed 5 s could finish first and hide the timeout.
	 */
	@Test
	void messageTimeoutWithoutAutoTouchRedeliversASlowMessage() {
		nsqd.createChannel("slow-untouched", "identify");
		slowCalls.set(0);
		untouchedTimedOut = new CountDownLatch(1);
		runner().withPropertyValues("nsq.consumer.msg-timeout=3s", "nsq.consumer.auto-touch=false")
			.withUserConfiguration(SlowUntouchedListener.class)
			.run((context) -> {
				nsqd.publish("slow-untouched", "slow");
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(nsqd.stats().channel("slow-untouched", "identify").timeoutCount()).isPositive());
				long timedOutAfter = System.nanoTime() - untouchedStarted;
				untouchedTimedOut.countDown();
				// nsqd's default --msg-timeout is 60 s: a timeout this early is the 3 s this listener asked for
				assertThat(Duration.ofNanos(timedOutAfter)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(10));
				await().atMost(Duration.ofSeconds(20)).until(() -> slowCalls.get() >= 2);
			});
	}

	/**
	 * The handler runs 9 s: past the 3 s timeout also when nsqd's queue scanner learns of the new channel
	 * only at its next refresh, up to 5 s later, so a missing TOUCH would show as a timeout.
	 */
	@Test
	void messageTimeoutWithAutoTouchKeepsASlowMessage() {
		nsqd.createChannel("slow-touched", "identify");
		slowCalls.set(0);
		runner().withPropertyValues("nsq.consumer.msg-timeout=3s").withUserConfiguration(SlowTouchedListener.class).run((context) -> {
			nsqd.publish("slow-touched", "nine seconds");
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				NsqStats.ChannelStats channel = nsqd.stats().channel("slow-touched", "identify");
				assertThat(channel.finishCount()).isEqualTo(1);
				assertThat(channel.inFlightCount()).isZero();
			});
			assertThat(nsqd.stats().channel("slow-touched", "identify").timeoutCount()).isZero();
			assertThat(slowCalls).hasValue(1);
		});
	}

	@Test
	void sampleRateDeliversAboutHalf() {
		nsqd.createChannel("sampled", "identify");
		sampled.set(0);
		runner().withPropertyValues("nsq.consumer.sample-rate=50", "nsq.consumer.max-in-flight=50")
			.withUserConfiguration(SampledListener.class)
			.run((context) -> {
				for (int batch = 0; batch < 20; batch++) {
					int first = batch * 100;
					nsqd.publishBatch("sampled", IntStream.range(first, first + 100).mapToObj(Integer::toString).toList());
				}
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					NsqStats.ChannelStats channel = nsqd.stats().channel("sampled", "identify");
					assertThat(channel.depth()).isZero();
					assertThat(channel.inFlightCount()).isZero();
					assertThat(channel.finishCount()).isEqualTo(sampled.get());
				});
				assertThat(nsqd.stats().channel("sampled", "identify").clients().get(0).sampleRate()).isEqualTo(50);
				assertThat(sampled.get()).isBetween(600, 1400);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CompressedListener {

		@NsqListener(id = "compressed", topic = "compressed")
		void handle(String body) {
			received.add(body);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowUntouchedListener {

		@NsqListener(topic = "slow-untouched")
		void handle(NsqMessage message) throws InterruptedException {
			if (slowCalls.incrementAndGet() == 1) {
				untouchedStarted = System.nanoTime();
				untouchedTimedOut.await(15, TimeUnit.SECONDS);
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SlowTouchedListener {

		@NsqListener(topic = "slow-touched")
		void handle(String body) throws InterruptedException {
			slowCalls.incrementAndGet();
			Thread.sleep(9000);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SampledListener {

		@NsqListener(topic = "sampled")
		void handle(String body) {
			sampled.incrementAndGet();
		}

	}

}

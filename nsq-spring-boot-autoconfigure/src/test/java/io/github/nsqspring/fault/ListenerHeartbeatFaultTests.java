package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats.ChannelStats;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The nsqd a listener consumes from is frozen (SIGSTOP) while messages flow, with
 * {@code nsq.consumer.heartbeat-interval=1s}: the listener notices the silence within about two intervals,
 * logs one WARN naming itself and nsqd and closes the connection (its connection count drops to 0); after
 * SIGCONT it reconnects and consumes again, nothing is lost and the message whose handler ran at the
 * freeze is redelivered by nsqd. A drain started while nsqd is frozen ends within the shutdown timeout.
 * Each with nsqd connected directly and found through nsqlookupd.
 */
@Tag("fault")
@ExtendWith(OutputCaptureExtension.class)
class ListenerHeartbeatFaultTests {

	private static final String CHANNEL = "watch";

	private static final String SLOW = "slow";

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(1);

	private static NsqServer nsqd;

	@BeforeAll
	static void nsqd() {
		nsqd = cluster.nsqd(0);
	}

	@ParameterizedTest
	@EnumSource(Discovery.class)
	void frozenNsqdIsNoticedByHeartbeatAndConsumptionResumesAfterTheThaw(Discovery discovery, CapturedOutput output)
			throws Exception {
		String topic = "heartbeat-" + discovery.name().toLowerCase(Locale.ROOT);
		Journal journal = publish(topic);
		Handler handler = new Handler(journal);
		ConfigurableApplicationContext app = startAndAwaitTheSlowMessage(topic, discovery, handler);
		long detectedMillis;
		try {
			NsqMessageListenerContainer container = container(app);
			assertThat(container.getConnectionCount()).isOne();
			long frozen = System.nanoTime();
			nsqd.freeze();
			try {
				await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
					.until(() -> container.getConnectionCount() == 0);
				detectedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
				NsqEndpoint endpoint = new NsqEndpoint(app.getBean(NsqListenerRegistry.class));
				assertThat(endpoint.container("heartbeat").getBody().connections()).as("/actuator/nsq connections").isZero();
				Thread.sleep(6000 - detectedMillis);
			}
			finally {
				nsqd.thaw();
			}
			await().atMost(Duration.ofSeconds(30)).until(journal::allHandled);
			await().atMost(Duration.ofSeconds(10)).until(() -> container.getConnectionCount() == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				ChannelStats stats = channel(topic);
				return stats.depth() == 0 && stats.inFlightCount() == 0 && stats.deferredCount() == 0;
			});
		}
		finally {
			app.close();
		}
		ChannelStats stats = channel(topic);
		System.out.printf("heartbeat 1s, nsqd frozen 6 s (%s): connection closed %d ms after SIGSTOP; %s; nsqd: %d"
				+ " messages, %d timed out, %d requeued%n", discovery, detectedMillis, journal, stats.messageCount(),
				stats.timeoutCount(), stats.requeueCount());
		// two intervals of silence, checked every quarter interval, plus scheduling on a busy machine
		assertThat(detectedMillis).as("ms from SIGSTOP until the connection was closed").isBetween(1000L, 4000L);
		String warning = "Listener 'heartbeat' heard nothing from nsqd " + nsqd.tcpAddress();
		assertThat(StringUtils.countOccurrencesOf(output.getAll(), warning)).as("WARNs").isOne();
		assertThat(journal.lost()).as("lost").isEmpty();
		assertThat(handler.slowAttempts).as("attempts of the message handled at the freeze").contains(1, 2);
		assertThat(stats.messageCount()).as("messages nsqd put on the channel").isEqualTo(3001);
	}

	@ParameterizedTest
	@EnumSource(Discovery.class)
	void drainWhileNsqdIsFrozenEndsWithinTheShutdownTimeout(Discovery discovery) throws Exception {
		String topic = "heartbeat-drain-" + discovery.name().toLowerCase(Locale.ROOT);
		ConfigurableApplicationContext app = startAndAwaitTheSlowMessage(topic, discovery, new Handler(publish(topic)));
		long closeMillis;
		try {
			NsqMessageListenerContainer container = container(app);
			nsqd.freeze();
			await().atMost(Duration.ofSeconds(10)).until(() -> container.getConnectionCount() == 0);
			// by now the listener has found nsqd again (a probe or a lookup; nsqd's kernel still accepts
			// connections) and nsq-j waits for the answer to its IDENTIFY, holding its subscription's lock
			Thread.sleep(2000);
			long start = System.nanoTime();
			app.close();
			closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		}
		finally {
			nsqd.thaw();
			app.close();
		}
		System.out.printf("drain while nsqd frozen (%s): context closed in %d ms (shutdown timeout %s)%n", discovery,
				closeMillis, SHUTDOWN_TIMEOUT);
		// the slow handler (3.5 s) ends within the timeout; then CLS waits 1 s and the client stops in 2 s
		assertThat(closeMillis).isLessThan(SHUTDOWN_TIMEOUT.toMillis() + 3000);
		assertThat(Faults.threads("nsq-read", "nsq-sched")).as("nsq-j threads after close").isEmpty();
	}

	/** Publishes 3000 numbered bodies with one slow in their first half, on a channel created first. */
	private static Journal publish(String topic) {
		int count = 3000;
		nsqd.createChannel(topic, CHANNEL);
		Journal journal = new Journal();
		List<String> bodies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			bodies.add(topic + "-" + i);
			if (i == count / 3) {
				bodies.add(SLOW);
			}
		}
		for (int from = 0; from < bodies.size(); from += 500) {
			List<String> batch = bodies.subList(from, Math.min(from + 500, bodies.size()));
			nsqd.publishBatch(topic, batch);
			batch.forEach(journal::acknowledged);
		}
		return journal;
	}

	/** Starts the listener (heartbeat 1s, msg-timeout 5s) and returns once its slow message is being handled. */
	private static ConfigurableApplicationContext startAndAwaitTheSlowMessage(String topic, Discovery discovery,
			Handler handler) throws InterruptedException {
		ConfigurableApplicationContext app = start(topic, discovery, handler);
		if (!handler.slowStarted.await(20, TimeUnit.SECONDS)) {
			app.close();
			throw new AssertionError("the slow message did not start within 20 s");
		}
		return app;
	}

	private static ConfigurableApplicationContext start(String topic, Discovery discovery, Handler handler) {
		String[] addresses = (discovery == Discovery.DIRECT) ? new String[] { "nsq.nsqd-addresses", nsqd.tcpAddress() }
				: new String[] { "nsq.lookupd-addresses", cluster.lookupd().httpAddress() };
		return new SpringApplicationBuilder(HeartbeatListener.class).web(WebApplicationType.NONE)
			.properties(Map.of("fault.topic", topic, addresses[0], addresses[1], "nsq.consumer.lookupd-poll-interval", "1s",
					"nsq.consumer.heartbeat-interval", "1s", "nsq.consumer.msg-timeout", "5s",
					"nsq.consumer.shutdown-timeout", SHUTDOWN_TIMEOUT.toMillis() + "ms", "spring.main.banner-mode", "off"))
			.initializers((context) -> context.getBeanFactory().registerSingleton("handler", handler))
			.run();
	}

	private static NsqMessageListenerContainer container(ConfigurableApplicationContext app) {
		return app.getBean(NsqListenerRegistry.class).getContainer("heartbeat").orElseThrow();
	}

	private static ChannelStats channel(String topic) {
		return nsqd.stats().findTopic(topic).flatMap((stats) -> stats.findChannel(CHANNEL)).orElseThrow();
	}

	/** How the listener finds nsqd. */
	enum Discovery {

		DIRECT, LOOKUPD

	}

	/** Journals every message; the slow one runs 3.5 s, past the moment the frozen nsqd is noticed. */
	static final class Handler {

		final Journal journal;

		final CountDownLatch slowStarted = new CountDownLatch(1);

		final List<Integer> slowAttempts = new CopyOnWriteArrayList<>();

		Handler(Journal journal) {
			this.journal = journal;
		}

		void handle(String body, NsqMessage message) throws InterruptedException {
			if (SLOW.equals(body)) {
				this.slowAttempts.add(message.attempts());
				this.slowStarted.countDown();
				Thread.sleep(3500);
			}
			else {
				Thread.sleep(2);
			}
			this.journal.handled(body, message.attempts());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(NsqAutoConfiguration.class)
	static class HeartbeatListener {

		private final Handler handler;

		HeartbeatListener(Handler handler) {
			this.handler = handler;
		}

		@NsqListener(id = "heartbeat", topic = "${fault.topic}", channel = CHANNEL, concurrency = "8", maxInFlight = "16")
		void onMessage(String body, NsqMessage message) throws InterruptedException {
			this.handler.handle(body, message);
		}

	}

}

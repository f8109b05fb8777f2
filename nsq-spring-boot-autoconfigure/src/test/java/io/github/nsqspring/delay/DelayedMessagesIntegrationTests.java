package io.github.nsqspring.delay;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Scheduling, timing and cancelling against a real Redis and a real nsqd. */
class DelayedMessagesIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static RedisServer redis = RedisServer.create();

	private ApplicationContextRunner runner(String topic) {
		return DelayTestSupport.runner(nsqd, redis, topic + ":")
			.withPropertyValues("test.topic=" + topic)
			.withUserConfiguration(DelayTestSupport.Recorder.class);
	}

	@Test
	void thousandMessagesArriveNoEarlierThanDue() {
		String topic = "delay-timing";
		nsqd.createChannel(topic, "recorder");
		List<Long> publishLags = new CopyOnWriteArrayList<>();
		DelayedMessageObserver publishLag = (message, publishedAt) -> publishLags
			.add(Duration.between(message.dueAt(), publishedAt).toMillis());
		runner(topic).withBean(DelayedMessageObserver.class, () -> publishLag).run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			DelayTestSupport.Recorder recorder = context.getBean(DelayTestSupport.Recorder.class);
			Random random = new Random(42);
			for (int i = 0; i < 1000; i++) {
				Instant due = Instant.now().truncatedTo(ChronoUnit.MILLIS).plusMillis(random.nextInt(5001));
				delayed.schedule(topic, i + ":" + due.toEpochMilli(), due);
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> recorder.arrivals.size() == 1000);
			List<Long> arrivalLags = new ArrayList<>();
			for (Map.Entry<String, Long> arrival : recorder.arrivals.entrySet()) {
				long due = Long.parseLong(arrival.getKey().substring(arrival.getKey().indexOf(':') + 1));
				assertThat(arrival.getValue()).as("arrival of " + arrival.getKey()).isGreaterThanOrEqualTo(due);
				arrivalLags.add(arrival.getValue() - due);
			}
			assertThat(publishLags).hasSize(1000).allSatisfy((lag) -> assertThat(lag).isNotNegative());
			System.out.println("Lag of 1000 delayed messages after their due time, in ms: arrival at a listener "
					+ percentiles(arrivalLags) + "; acknowledged by nsqd " + percentiles(publishLags));
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(1000);
			assertThat(recorder.deliveries).hasValue(1000);
			assertThat(delayed.pending(topic)).isZero();
		});
	}

	@Test
	void neverEarlyOnAnNsqdThatKeepsMessagesOnDiskWhereDpubLosesItsDelay() {
		try (NsqServer diskNsqd = NsqServer.withArguments("--mem-queue-size=0").start()) {
			diskNsqd.createChannel("delay-durable", "waiting");
			diskNsqd.createChannel("delay-dpub", "waiting");
			DelayTestSupport.runner(diskNsqd, redis, "disk:").run((context) -> {
				NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
				NsqTemplate template = context.getBean(NsqTemplate.class);
				List<CompletableFuture<Void>> dpubs = new ArrayList<>();
				// 5 s: far beyond the time a loaded machine takes to schedule them all and look a second later
				for (int i = 0; i < 200; i++) {
					delayed.schedule("delay-durable", "message-" + i, Duration.ofSeconds(5));
					dpubs.add(template.sendDeferredAsync("delay-dpub", "message-" + i, Duration.ofSeconds(5)));
				}
				CompletableFuture.allOf(dpubs.toArray(CompletableFuture[]::new)).join();
				Thread.sleep(1000);
				long dpubEarly = diskNsqd.stats().channel("delay-dpub", "waiting").depth();
				assertThat(diskNsqd.stats().channel("delay-durable", "waiting").depth()).as("durable, early").isZero();
				System.out.println("On nsqd --mem-queue-size=0, " + dpubEarly + " of 200 DPUBs with a 5 s delay were "
						+ "deliverable at once; durable delays: 0");
				await().atMost(Duration.ofSeconds(15))
					.until(() -> diskNsqd.stats().channel("delay-durable", "waiting").depth() == 200);
			});
		}
	}

	private static String percentiles(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values);
		sorted.sort(null);
		return "p50 " + sorted.get(sorted.size() / 2) + ", p99 " + sorted.get(sorted.size() * 99 / 100) + ", max "
				+ sorted.get(sorted.size() - 1);
	}

	@Test
	void cancelledMessagesNeverArrive() {
		String topic = "delay-cancel";
		nsqd.createChannel(topic, "recorder");
		runner(topic).run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			DelayTestSupport.Recorder recorder = context.getBean(DelayTestSupport.Recorder.class);
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				ids.add(delayed.schedule(topic, "message-" + i, Duration.ofSeconds(2)));
			}
			assertThat(delayed.pending(topic)).isEqualTo(100);
			assertThat(delayed.find(ids.get(0))).hasValueSatisfying((message) -> {
				assertThat(message.topic()).isEqualTo(topic);
				assertThat(message.body()).asString().isEqualTo("message-0");
			});
			Set<String> expected = new HashSet<>();
			for (int i = 0; i < 100; i++) {
				if (i % 2 == 0) {
					assertThat(delayed.cancel(ids.get(i))).isTrue();
					assertThat(delayed.find(ids.get(i))).isEmpty();
				}
				else {
					expected.add("message-" + i);
				}
			}
			assertThat(delayed.pending(topic)).isEqualTo(50);
			assertThat(delayed.cancel(ids.get(0))).as("cancelled twice").isFalse();
			await().atMost(Duration.ofSeconds(10)).until(() -> recorder.arrivals.size() == 50);
			assertThat(recorder.arrivals.keySet()).isEqualTo(expected);
			assertThat(delayed.cancel(ids.get(1))).as("cancel after publish").isFalse();
			assertThat(delayed.pending(topic)).isZero();
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(50);
		});
	}

}

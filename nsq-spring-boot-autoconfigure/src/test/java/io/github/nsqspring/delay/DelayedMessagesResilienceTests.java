package io.github.nsqspring.delay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.RedisServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost and nothing is published twice across application restarts, a crash after a claim,
 * two instances sharing one Redis, and an nsqd outage: real Redis, real nsqd, counts read from nsqd.
 */
class DelayedMessagesResilienceTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static RedisServer redis = RedisServer.create();

	@Test
	void messagesScheduledBeforeARestartArePublishedOnceByTheNextContext() {
		String topic = "delay-restart";
		nsqd.createTopic(topic);
		DelayTestSupport.runner(nsqd, redis, topic + ":").run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			for (int i = 0; i < 200; i++) {
				delayed.schedule(topic, "message-" + i, Duration.ofSeconds(3));
			}
			assertThat(delayed.pending(topic)).isEqualTo(200);
		});
		assertThat(nsqd.stats().topic(topic).messageCount()).isZero();
		DelayTestSupport.runner(nsqd, redis, topic + ":").run((context) -> {
			NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
			assertThat(delayed.pending(topic)).isEqualTo(200);
			await().atMost(Duration.ofSeconds(15)).until(() -> delayed.pending(topic) == 0);
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(200);
			Thread.sleep(500);
			assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(200);
		});
	}

	@Test
	void entriesClaimedByAnInstanceThatDiedArePublishedAfterTheLease() {
		String topic = "delay-crash";
		String prefix = topic + ":";
		nsqd.createTopic(topic);
		LettuceConnectionFactory connectionFactory = DelayTestSupport.connectionFactory(redis);
		try {
			// the dead instance: it scheduled 30 entries, claimed them with a 2 s lease, then crashed
			RedisDelayedMessageStore store = new RedisDelayedMessageStore(connectionFactory, prefix);
			Instant now = Instant.now();
			List<String> ids = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				ScheduledMessage message = new ScheduledMessage("crash-" + i, topic, ("message-" + i).getBytes(), now);
				assertThat(store.add(message)).isTrue();
				ids.add(message.id());
			}
			Instant leaseEnd = now.plusSeconds(2);
			assertThat(store.claim(now, leaseEnd, 100).messages()).hasSize(30);
			assertThat(store.claim(now, leaseEnd, 100).messages()).as("claimed once only").isEmpty();
			assertThat(store.cancel(ids.get(0))).as("cancel after claim").isFalse();
			assertThat(store.pending(topic)).isEqualTo(30);

			DelayTestSupport.runner(nsqd, redis, prefix).withPropertyValues("nsq.delay.lease=2s", "nsq.producer.timeout=900ms").run((context) -> {
				NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
				Thread.sleep(Duration.between(Instant.now(), leaseEnd).minusMillis(300).toMillis());
				assertThat(nsqd.stats().topic(topic).messageCount()).as("published before the lease ended").isZero();
				await().atMost(Duration.ofSeconds(10)).until(() -> delayed.pending(topic) == 0);
				assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(30);
				assertThat(store.acknowledge(ids)).as("the dead instance acknowledges late").isZero();
				assertThat(delayed.find(ids.get(0))).isEmpty();
			});
		}
		finally {
			connectionFactory.destroy();
		}
	}

	@Test
	void twoInstancesSharingRedisPublishEveryEntryOnce() {
		String topic = "delay-shared";
		nsqd.createTopic(topic);
		DelayTestSupport.runner(nsqd, redis, topic + ":")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("nsq.delay.batch-size=50")
			.run((first) -> DelayTestSupport.runner(nsqd, redis, topic + ":")
				.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
				.withPropertyValues("nsq.delay.batch-size=50")
				.run((second) -> {
					NsqDelayedMessages delayed = first.getBean(NsqDelayedMessages.class);
					for (int i = 0; i < 2000; i++) {
						delayed.schedule(topic, "message-" + i, Duration.ofMillis(500 + i % 1000));
					}
					await().atMost(Duration.ofSeconds(20)).until(() -> delayed.pending(topic) == 0);
					Thread.sleep(500);
					assertThat(nsqd.stats().topic(topic).messageCount()).isEqualTo(2000);
					double publishedByFirst = published(first.getBean(MeterRegistry.class), topic);
					double publishedBySecond = published(second.getBean(MeterRegistry.class), topic);
					assertThat(publishedByFirst + publishedBySecond).isEqualTo(2000);
					assertThat(publishedByFirst).as("published by the first instance").isPositive();
					assertThat(publishedBySecond).as("published by the second instance").isPositive();
					assertThat(first.getBean(MeterRegistry.class).get("nsq.delay.pending").gauge().value()).isZero();
				}));
	}

	private static double published(MeterRegistry registry, String topic) {
		return registry.get("nsq.delay.published").tag("topic", topic).counter().count();
	}

	@Test
	void entriesDueWhileNsqdIsDownStayPendingAndGoOutWhenItIsBack() {
		String topic = "delay-outage";
		try (NsqServer ownNsqd = NsqServer.create().start()) {
			ownNsqd.createTopic(topic);
			DelayTestSupport.runner(ownNsqd, redis, topic + ":").run((context) -> {
				NsqDelayedMessages delayed = context.getBean(NsqDelayedMessages.class);
				ownNsqd.stop();
				for (int i = 0; i < 30; i++) {
					delayed.schedule(topic, "message-" + i, Duration.ofMillis(200));
				}
				Thread.sleep(2000);
				assertThat(delayed.pending(topic)).as("pending while nsqd is down").isEqualTo(30);
				ownNsqd.start();
				await().atMost(Duration.ofSeconds(15)).until(() -> delayed.pending(topic) == 0);
				assertThat(ownNsqd.stats().topic(topic).messageCount()).isEqualTo(30);
			});
		}
	}

}

package io.github.nsqspring.core;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.archive.NsqArchive;
import io.github.nsqspring.autoconfigure.NsqArchiveAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqDelayAutoConfiguration;
import io.github.nsqspring.delay.NsqDelayedMessages;
import io.github.nsqspring.listener.NsqDeadLetterHandler;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.PostgresServer;
import io.github.nsqspring.test.RedisServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** The NSQE envelope against a real nsqd (and Redis and PostgreSQL for delays and the archive). */
class NsqEnvelopeIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	static final List<Received> received = new CopyOnWriteArrayList<>();

	private static ApplicationContextRunner runner(String topic, String... properties) {
		received.clear();
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "spring.application.name=envelope",
					"test.topic=" + topic)
			.withPropertyValues(properties);
	}

	static Message<String> tenantMessage(String payload, String tenant) {
		return MessageBuilder.withPayload(payload).setHeader("tenant", tenant).build();
	}

	@Nested
	class Off {

		@Test
		void bodiesAreByteIdenticalToPlainPublishes() throws Exception {
			String topic = "envelope-off";
			try (RawNsqConsumer consumer = RawNsqConsumer.subscribe(nsqd.tcpAddress(), topic, "raw")) {
				runner(topic).run((context) -> {
					NsqTemplate template = context.getBean(NsqTemplate.class);
					template.send(topic, "one");
					template.sendBatch(topic, List.of("two", new byte[] { 't', 'h', 'r', 'e', 'e' }));
					template.sendDeferred(topic, Map.of("n", 4), Duration.ofMillis(10));
					await().until(() -> consumer.received().size() == 4);
					assertThat(consumer.texts()).containsExactly("one", "two", "three", "{\"n\":4}");
					assertThatIllegalArgumentException().isThrownBy(() -> template.send(topic, tenantMessage("x", "acme")))
						.withMessageContaining("headers [tenant] of a Message to topic 'envelope-off' without an envelope")
						.withMessageContaining("nsq.producer.envelope.enabled=true");
					template.send(topic, MessageBuilder.withPayload("no headers").build());
					await().until(() -> consumer.received().size() == 5);
					assertThat(consumer.texts()).last().isEqualTo("no headers");
				});
			}
		}

	}

	@Nested
	class On {

		@Test
		void pubMpubAndDpubCarryTheMessagesHeadersToHeaderParametersAndNsqMessageHeaders() {
			String topic = "envelope-on";
			nsqd.createChannel(topic, "envelope");
			runner(topic, "nsq.producer.envelope.topics=" + topic).withUserConfiguration(Recording.class).run((context) -> {
				NsqTemplate template = context.getBean(NsqTemplate.class);
				template.send(topic, tenantMessage("pub", "a"));
				template.sendBatch(topic, List.of(tenantMessage("mpub-1", "b"), tenantMessage("mpub-2", "c")));
				long sent = System.currentTimeMillis();
				template.sendDeferred(topic, tenantMessage("dpub", "d"), Duration.ofMillis(700));
				await().until(() -> received.size() == 4);
				assertThat(received).extracting(Received::payload, Received::tenant)
					.containsExactlyInAnyOrder(tuple("pub", "a"), tuple("mpub-1", "b"), tuple("mpub-2", "c"), tuple("dpub", "d"));
				for (Received message : received) {
					assertThat(message.headers()).containsEntry("tenant", message.tenant())
						.containsEntry("content-type", "text/plain;charset=UTF-8");
					assertThat(message.messageHeaders()).containsEntry("tenant", message.tenant());
					assertThat(message.attempts()).isOne();
				}
				Received deferred = received.stream().filter((message) -> message.payload().equals("dpub")).findFirst().orElseThrow();
				long notBefore = Long.parseLong(deferred.headers().get(NsqEnvelope.NOT_BEFORE));
				assertThat(notBefore).isBetween(sent + 700, System.currentTimeMillis());
				assertThat(deferred.handledAt()).isGreaterThanOrEqualTo(notBefore);
				assertThatIllegalArgumentException()
					.isThrownBy(() -> template.send(topic, MessageBuilder.withPayload("x").setHeader("count", 3).build()))
					.withMessage("Cannot publish header 'count' of a Message to topic 'envelope-on': envelope headers are "
							+ "Strings, its value is a java.lang.Integer");
			});
		}

		@Test
		void aMalformedEnvelopeIsDeadLetteredAtOnceNamingTheOffset() {
			String topic = "envelope-malformed";
			nsqd.createChannel(topic, "envelope");
			List<String> causes = new CopyOnWriteArrayList<>();
			List<byte[]> bodies = new CopyOnWriteArrayList<>();
			NsqDeadLetterHandler deadLetters = (message, cause) -> {
				causes.add(cause.getMessage());
				bodies.add(message.body());
			};
			runner(topic).withUserConfiguration(Recording.class)
				.withBean(NsqDeadLetterHandler.class, () -> deadLetters)
				.run((context) -> {
					byte[] broken = { 'N', 'S', 'Q', 'E', 1, 0, 1, 0, 9, 'a', 'b' };
					nsqd.publish(topic, broken);
					await().until(() -> causes.size() == 1);
					assertThat(causes.get(0)).isEqualTo(
							"Malformed NSQE envelope at byte offset 9: the key of header 0 (9 bytes) runs past the end of the body (11 bytes)");
					assertThat(bodies.get(0)).isEqualTo(broken);
					await().untilAsserted(() -> assertThat(nsqd.stats().channel(topic, "envelope").finishCount()).isOne());
					assertThat(nsqd.stats().channel(topic, "envelope").requeueCount()).isZero();
					assertThat(received).isEmpty();
				});
		}

		@Test
		void thousandDeferredMessagesFrom32ThreadsAreNeverHandledEarlyOnAnNsqdThatLosesTheirDelay() throws Exception {
			String topic = "envelope-not-before";
			try (NsqServer diskNsqd = NsqServer.withArguments("--mem-queue-size=0").start()) {
				diskNsqd.createChannel(topic, "envelope");
				runner(topic, "nsq.nsqd-addresses=" + diskNsqd.tcpAddress(), "nsq.producer.envelope.enabled=true")
					.withUserConfiguration(Recording.class)
					.run((context) -> {
						NsqTemplate template = context.getBean(NsqTemplate.class);
						ExecutorService threads = Executors.newFixedThreadPool(32);
						List<Future<?>> sends = new ArrayList<>();
						for (int thread = 0; thread < 32; thread++) {
							int first = thread;
							sends.add(threads.submit(() -> {
								Random random = new Random(first);
								for (int i = first; i < 1000; i += 32) {
									template.sendDeferred(topic, "m" + i, Duration.ofMillis(500 + random.nextInt(2500)));
								}
							}));
						}
						for (Future<?> send : sends) {
							send.get();
						}
						threads.shutdown();
						await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 1000);
						assertThat(received).extracting(Received::payload).doesNotHaveDuplicates().hasSize(1000);
						long early = received.stream()
							.filter((message) -> message.handledAt() < Long.parseLong(message.headers().get(NsqEnvelope.NOT_BEFORE)))
							.count();
						assertThat(early).as("handled before their nsq-not-before").isZero();
						assertThat(received).extracting(Received::attempts).containsOnly(1);
						long requeued = diskNsqd.stats().channel(topic, "envelope").requeueCount();
						System.out.println("1000 DPUB from 32 threads on nsqd --mem-queue-size=0: " + requeued
								+ " arrived before their time and were requeued for the rest of it; 0 handled early");
						assertThat(requeued).as("deliveries nsqd made before the delay (it lost them)").isPositive();
					});
			}
		}

	}

	@Nested
	class Delays {

		@RegisterExtension
		static RedisServer redis = RedisServer.create();

		@Test
		void durableDelaysCarryTheHeadersAndTheDueTimeAsNotBefore() {
			String topic = "envelope-delay";
			nsqd.createChannel(topic, "envelope");
			runner(topic, "nsq.producer.envelope.enabled=true", "spring.data.redis.host=" + redis.host(),
					"spring.data.redis.port=" + redis.port(), "nsq.delay.store=redis", "nsq.delay.key-prefix=envelope:")
				.withConfiguration(AutoConfigurations.of(NsqDelayAutoConfiguration.class, DataRedisAutoConfiguration.class))
				.withUserConfiguration(Recording.class)
				.run((context) -> {
					Instant due = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).plusMillis(500);
					context.getBean(NsqDelayedMessages.class).schedule(topic, tenantMessage("delayed", "e"), due);
					await().until(() -> received.size() == 1);
					Received message = received.get(0);
					assertThat(message.payload()).isEqualTo("delayed");
					assertThat(message.tenant()).isEqualTo("e");
					assertThat(message.headers()).containsEntry(NsqEnvelope.NOT_BEFORE, Long.toString(due.toEpochMilli()));
					assertThat(message.handledAt()).isGreaterThanOrEqualTo(due.toEpochMilli());
				});
		}

	}

	@Nested
	class Archive {

		@RegisterExtension
		static PostgresServer postgres = PostgresServer.create();

		@Test
		void theArchiveKeepsTheHeadersBesideThePayloadAndReplayWritesThemBack() {
			String topic = "envelope-archived";
			String target = "envelope-replayed";
			nsqd.createChannel(topic, "archive");
			nsqd.createChannel(target, "envelope");
			JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(postgres.jdbcUrl(), PostgresServer.USER, ""));
			// a table of the schema before headers: the schema initialization adds the column
			jdbc.execute("DROP TABLE IF EXISTS envelope_archive");
			jdbc.execute("CREATE TABLE envelope_archive (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
					+ "nsq_id VARCHAR(16) NOT NULL, topic VARCHAR(64) NOT NULL, channel VARCHAR(64) NOT NULL, "
					+ "nsq_timestamp BIGINT NOT NULL, attempts INTEGER NOT NULL, body BYTEA NOT NULL, "
					+ "received_at TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT envelope_archive_message UNIQUE (topic, nsq_id))");
			runner(target, "nsq.producer.envelope.topics=" + topic, "nsq.archive.topics=" + topic,
					"nsq.archive.table-name=envelope_archive", "nsq.archive.initialize-schema=always",
					"spring.datasource.url=" + postgres.jdbcUrl(), "spring.datasource.username=" + PostgresServer.USER,
					"spring.datasource.password=")
				.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, NsqArchiveAutoConfiguration.class))
				.withUserConfiguration(Recording.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					Instant from = Instant.now().minusSeconds(1);
					context.getBean(NsqTemplate.class).send(topic, tenantMessage("archived", "f"));
					context.getBean(NsqTemplate.class).send("envelope-archived-plain", "plain");
					await().until(() -> jdbc.queryForObject("SELECT COUNT(*) FROM envelope_archive", Long.class) == 1);
					assertThat(jdbc.queryForObject("SELECT body FROM envelope_archive", byte[].class))
						.isEqualTo("archived".getBytes(StandardCharsets.UTF_8));
					byte[] headers = jdbc.queryForObject("SELECT headers FROM envelope_archive", byte[].class);
					assertThat(NsqEnvelope.decode(headers).headers()).containsEntry("tenant", "f");
					long replayed = context.getBean(NsqArchive.class).replay(topic, from, Instant.now().plusSeconds(1), target);
					assertThat(replayed).isOne();
					await().until(() -> received.size() == 1);
					assertThat(received.get(0).payload()).isEqualTo("archived");
					assertThat(received.get(0).tenant()).isEqualTo("f");
				});
		}

	}

	private static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

	record Received(String payload, @Nullable String tenant, Map<String, String> headers, Map<String, Object> messageHeaders,
			int attempts, long handledAt) {
	}

	@Configuration(proxyBeanMethods = false)
	static class Recording {

		final Map<String, Integer> calls = new ConcurrentHashMap<>();

		@NsqListener(topic = "${test.topic}", channel = "envelope", concurrency = "4", maxInFlight = "200")
		void receive(Message<String> message, NsqMessage nsqMessage, @Header(name = "tenant", required = false) @Nullable String tenant) {
			received.add(new Received(message.getPayload(), tenant, nsqMessage.headers(), message.getHeaders(),
					nsqMessage.attempts(), System.currentTimeMillis()));
		}

	}

}

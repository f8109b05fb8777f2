package io.github.nsqspring.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqArchiveAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archive against a real nsqd and a real database (H2 or PostgreSQL, see the subclasses): every
 * message becomes exactly one row with its id and body, also across a shutdown in the middle of the
 * stream, and a replay republishes exactly a time window in timestamp order.
 */
abstract class AbstractArchiveIntegrationTests {

	static final int MESSAGES = 10_000;

	static final String CHECK_CHANNEL = "check";

	/** The nsqd of the test class (each class has its own, started and closed by its extension). */
	abstract NsqServer nsqd();

	/** {@code spring.datasource.*} of the database under test. */
	abstract List<String> dataSourceProperties();

	/** A connection to the same database that outlives the application contexts, for assertions. */
	abstract DriverManagerDataSource assertionDataSource();

	/** How the application connects to {@link #nsqd()}. */
	List<String> connectionProperties() {
		return List.of("nsq.nsqd-addresses=" + nsqd().tcpAddress());
	}

	ApplicationContextRunner runner(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class,
					DataSourceAutoConfiguration.class, NsqArchiveAutoConfiguration.class))
			.withPropertyValues(connectionProperties().toArray(String[]::new))
			.withPropertyValues("nsq.archive.initialize-schema=always", "nsq.consumer.shutdown-timeout=10s")
			.withPropertyValues(dataSourceProperties().toArray(String[]::new))
			.withPropertyValues(properties);
	}

	JdbcTemplate jdbc() {
		return new JdbcTemplate(assertionDataSource());
	}

	long rows(String topic) {
		Long count = jdbc().queryForObject("SELECT COUNT(*) FROM nsq_archive WHERE topic = ?", Long.class, topic);
		return (count != null) ? count : 0;
	}

	@Test
	void everyMessageBecomesOneRowWithItsIdAndBody() {
		String topic = "archive-all";
		nsqd().createChannel(topic, "archive");
		nsqd().createChannel(topic, CHECK_CHANNEL);
		List<String> bodies = bodies(topic, MESSAGES);
		Received check = new Received();
		runner("nsq.archive.topics=" + topic, "test.topic=" + topic).withBean(Received.class, () -> check)
			.withUserConfiguration(CheckListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				publish(topic, bodies);
				await().atMost(Duration.ofSeconds(60)).until(() -> rows(topic) == MESSAGES && check.bodiesById.size() == MESSAGES);
				await().atMost(Duration.ofSeconds(10)).until(() -> nsqd().stats().channel(topic, "archive").finishCount() == MESSAGES);
			});

		Map<String, String> archived = new ConcurrentHashMap<>();
		jdbc().query("SELECT nsq_id, body, channel, attempts FROM nsq_archive WHERE topic = ?", (rs) -> {
			assertThat(rs.getString("channel")).isEqualTo("archive");
			assertThat(rs.getInt("attempts")).isEqualTo(1);
			archived.put(rs.getString("nsq_id"), new String(rs.getBytes("body")));
		}, topic);
		assertThat(archived).as("nsq id -> body in the table, as the check listener received them")
			.isEqualTo(check.bodiesById);
		assertThat(archived.values()).containsExactlyInAnyOrderElementsOf(bodies);
		NsqStats.ChannelStats stats = nsqd().stats().channel(topic, "archive");
		assertThat(stats.depth() + stats.inFlightCount() + stats.deferredCount()).isZero();
		assertThat(stats.requeueCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
				.as("threads of the archive container and its writer after close")
				.noneMatch((thread) -> thread.getName().contains("archive-" + topic)));
	}

	@Test
	void shutdownInTheMiddleOfTheStreamLosesAndDuplicatesNothing() throws Exception {
		String topic = "archive-restart";
		nsqd().createChannel(topic, "archive");
		List<String> bodies = bodies(topic, MESSAGES);
		Thread publisher = new Thread(() -> {
			for (int from = 0; from < MESSAGES; from += 500) {
				nsqd().publishBatch(topic, bodies.subList(from, from + 500));
				sleep(50);
			}
		}, "archive-test-publisher");
		long[] atClose = new long[1];
		runner("nsq.archive.topics=" + topic, "nsq.archive.batch.max-messages=100").run((context) -> {
			assertThat(context).hasNotFailed();
			publisher.start();
			await().atMost(Duration.ofSeconds(30)).until(() -> rows(topic) >= 1000);
			context.close();
			atClose[0] = rows(topic);
		});
		NsqStats.ChannelStats afterClose = nsqd().stats().channel(topic, "archive");
		assertThat(atClose[0]).as("rows when the context closed").isBetween(1000L, MESSAGES - 1L);
		assertThat(afterClose.inFlightCount()).as("in flight after the drain").isZero();
		assertThat(afterClose.timeoutCount()).as("timeouts").isZero();
		publisher.join(60_000);

		runner("nsq.archive.topics=" + topic).run((context) -> {
			assertThat(context).hasNotFailed();
			await().atMost(Duration.ofSeconds(60)).until(() -> rows(topic) >= MESSAGES && nsqd().stats().channel(topic, "archive").depth() == 0);
			sleep(500);
		});
		assertThat(rows(topic)).isEqualTo(MESSAGES);
		List<String> archived = jdbc().queryForList("SELECT body FROM nsq_archive WHERE topic = ?", byte[].class, topic)
			.stream()
			.map(String::new)
			.toList();
		assertThat(archived).as("every body exactly once").containsExactlyInAnyOrderElementsOf(bodies);
		Long ids = jdbc().queryForObject("SELECT COUNT(DISTINCT nsq_id) FROM nsq_archive WHERE topic = ?", Long.class, topic);
		assertThat(ids).isEqualTo(MESSAGES);
		NsqStats.ChannelStats stats = nsqd().stats().channel(topic, "archive");
		assertThat(stats.depth() + stats.inFlightCount() + stats.deferredCount()).isZero();
		assertThat(stats.timeoutCount()).isZero();
	}

	@Test
	void replayRepublishesExactlyTheWindowInTimestampOrder() {
		String topic = "archive-source";
		String target = "archive-replayed";
		nsqd().createChannel(topic, "archive");
		nsqd().createChannel(target, CHECK_CHANNEL);
		List<String> bodies = bodies(topic, 300);
		Received replayed = new Received();
		runner("nsq.archive.topics=" + topic, "test.topic=" + target, "nsq.archive.batch.max-messages=40")
			.withBean(Received.class, () -> replayed)
			.withUserConfiguration(CheckListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				for (String body : bodies) {
					nsqd().publish(topic, body);
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> rows(topic) == bodies.size());
				NsqArchive archive = context.getBean(NsqArchive.class);
				List<ArchivedMessage> all = archive.stream(topic, Instant.EPOCH, Instant.now().plusSeconds(60)).toList();
				assertThat(all).extracting((message) -> new String(message.body())).containsExactlyElementsOf(bodies);
				assertThat(all).extracting(ArchivedMessage::timestamp).isSorted();
				Instant from = all.get(50).timestamp();
				Instant to = all.get(250).timestamp();
				List<String> window = bodies.subList(50, 250);

				assertThat(archive.count(topic, from, to)).isEqualTo(window.size());
				List<ArchivedMessage> firstPage = archive.page(topic, from, to, null, 30);
				List<ArchivedMessage> secondPage = archive.page(topic, from, to, firstPage.get(29), 30);
				assertThat(firstPage).extracting((message) -> new String(message.body())).containsExactlyElementsOf(window.subList(0, 30));
				assertThat(secondPage).extracting((message) -> new String(message.body())).containsExactlyElementsOf(window.subList(30, 60));

				long count = archive.replay(topic, from, to, target);

				assertThat(count).isEqualTo(window.size());
				await().atMost(Duration.ofSeconds(30)).until(() -> replayed.inOrder.size() >= window.size());
				sleep(300);
				assertThat(replayed.inOrder).as("replayed bodies, in the order the listener received them").containsExactlyElementsOf(window);

				assertThat(archive.purge(topic, from)).isEqualTo(50);
				assertThat(archive.count(topic, Instant.EPOCH, Instant.now().plusSeconds(60))).isEqualTo(250);
			});
	}

	@Test
	void aMessageInsertedAgainKeepsItsFirstRow() {
		String topic = "archive-again";
		runner("nsq.archive.topics=" + topic).run((context) -> {
			assertThat(context).hasNotFailed();
			ArchiveTable table = context.getBean(ArchiveTable.class);
			ReceivedMessage first = new ReceivedMessage(new StoredMessage("0a1b2c3d4e5f6a7b", topic, 1, "first"), Instant.now());
			ReceivedMessage redelivered = new ReceivedMessage(new StoredMessage("0a1b2c3d4e5f6a7b", topic, 2, "first"),
					Instant.now());
			ReceivedMessage other = new ReceivedMessage(new StoredMessage("0a1b2c3d4e5f6a7c", topic, 1, "other"), Instant.now());
			table.insert(List.of(first, redelivered));
			table.insert(List.of(redelivered, other));
		});
		assertThat(jdbc().query("SELECT nsq_id, attempts FROM nsq_archive WHERE topic = ? ORDER BY nsq_id",
				(rs, row) -> rs.getString("nsq_id") + " attempt " + rs.getInt("attempts"), topic))
			.containsExactly("0a1b2c3d4e5f6a7b attempt 1", "0a1b2c3d4e5f6a7c attempt 1");
	}

	static List<String> bodies(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + "-" + i).toList();
	}

	void publish(String topic, List<String> bodies) {
		for (int from = 0; from < bodies.size(); from += 500) {
			nsqd().publishBatch(topic, bodies.subList(from, Math.min(from + 500, bodies.size())));
		}
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** A message as nsqd would deliver it, to write to the table directly. */
	record StoredMessage(String id, String topic, int attempts, String text) implements NsqMessage {

		@Override
		public Instant timestamp() {
			return Instant.parse("2026-01-01T00:00:00Z");
		}

		@Override
		public byte[] body() {
			return this.text.getBytes();
		}

		@Override
		public String channel() {
			return "archive";
		}

		@Override
		public void finish() {
		}

		@Override
		public void requeue(Duration delay) {
		}

		@Override
		public void touch() {
		}

		@Override
		public boolean isAcknowledged() {
			return false;
		}

	}

	/** What the check listener received. */
	static class Received {

		final Map<String, String> bodiesById = new ConcurrentHashMap<>();

		final List<String> inOrder = new CopyOnWriteArrayList<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class CheckListener {

		private final Received received;

		CheckListener(Received received) {
			this.received = received;
		}

		@NsqListener(topic = "${test.topic}", channel = CHECK_CHANNEL, maxInFlight = "100")
		void receive(String body, NsqMessage message) {
			this.received.bodiesById.put(message.id(), body);
			this.received.inOrder.add(body);
		}

	}

}

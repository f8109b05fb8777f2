package io.github.nsqspring.archive;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqStats;
import io.github.nsqspring.test.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The archive into a real PostgreSQL server; also what only a server database can show: an outage of the
 * database, and a process killed with SIGKILL while it archives.
 */
class ArchivePostgresIntegrationTests extends AbstractArchiveIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@RegisterExtension
	static PostgresServer postgres = PostgresServer.create();

	@Override
	NsqServer nsqd() {
		return nsqd;
	}

	@Override
	List<String> dataSourceProperties() {
		return List.of("spring.datasource.url=" + postgres.jdbcUrl(), "spring.datasource.username=" + PostgresServer.USER,
				"spring.datasource.password=");
	}

	@Override
	DriverManagerDataSource assertionDataSource() {
		return new DriverManagerDataSource(postgres.jdbcUrl(), PostgresServer.USER, "");
	}

	@Test
	void embeddedSchemaInitializationLeavesAServerDatabaseAlone() {
		runner("nsq.archive.topics=archive-embedded-mode", "nsq.archive.initialize-schema=embedded",
				"nsq.archive.table-name=not_created")
			.run((context) -> assertThat(context).hasNotFailed());
		Long tables = jdbc().queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'not_created'",
				Long.class);
		assertThat(tables).isZero();
	}

	@Test
	void databaseOutageRequeuesWithBackoffAndFinishesNothingWithoutARow() {
		String topic = "archive-outage";
		int messages = 200;
		nsqd.createChannel(topic, "archive");
		List<String> bodies = bodies(topic, messages);
		runner("nsq.archive.topics=" + topic, "nsq.archive.batch.max-messages=50", "nsq.consumer.backoff.initial=300ms",
				"nsq.consumer.backoff.max=2s", "spring.datasource.hikari.connection-timeout=500")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				postgres.stop();
				try {
					publish(topic, bodies);
					await().atMost(Duration.ofSeconds(30)).until(() -> nsqd.stats().channel(topic, "archive").requeueCount() >= messages);
					NsqStats.ChannelStats during = nsqd.stats().channel(topic, "archive");
					assertThat(during.finishCount()).as("finished while the database is down").isZero();
					assertThat(during.depth() + during.inFlightCount() + during.deferredCount()).as("still on nsqd").isEqualTo(messages);
					assertThat(during.deferredCount()).as("requeued with a delay").isPositive();
				}
				finally {
					postgres.start();
				}
				await().atMost(Duration.ofSeconds(60)).until(() -> rows(topic) == messages);
				await().atMost(Duration.ofSeconds(10)).until(() -> nsqd.stats().channel(topic, "archive").finishCount() == messages);
			});
		List<String> archived = jdbc().queryForList("SELECT body FROM nsq_archive WHERE topic = ?", byte[].class, topic)
			.stream()
			.map(String::new)
			.toList();
		assertThat(archived).containsExactlyInAnyOrderElementsOf(bodies);
		Long retried = jdbc().queryForObject("SELECT COUNT(*) FROM nsq_archive WHERE topic = ? AND attempts > 1", Long.class, topic);
		assertThat(retried).as("rows written on a later attempt").isEqualTo(messages);
		NsqStats.ChannelStats after = nsqd.stats().channel(topic, "archive");
		assertThat(after.depth() + after.inFlightCount() + after.deferredCount()).isZero();
		assertThat(after.timeoutCount()).isZero();
	}

	@Test
	void processKilledWhileArchivingLeavesExactlyOneRowPerMessageAfterRestart() throws Exception {
		String topic = "archive-killed";
		List<String> bodies = bodies(topic, MESSAGES);
		try (NsqServer shortTimeout = NsqServer.withArguments("--msg-timeout=2s").start()) {
			shortTimeout.createChannel(topic, "archive");
			Thread publisher = new Thread(() -> {
				for (int from = 0; from < MESSAGES; from += 500) {
					shortTimeout.publishBatch(topic, bodies.subList(from, from + 500));
					sleep(50);
				}
			}, "archive-test-publisher");
			Process archiver = startArchiverProcess(shortTimeout, topic);
			try {
				await().atMost(Duration.ofSeconds(60))
					.until(() -> shortTimeout.stats().channel(topic, "archive").clientCount() > 0 || !archiver.isAlive());
				publisher.start();
				await().atMost(Duration.ofSeconds(30)).until(() -> rows(topic) >= 1000 || !archiver.isAlive());
				assertThat(archiver.isAlive()).as("archiver process alive until killed").isTrue();
			}
			finally {
				archiver.destroyForcibly().waitFor();
			}
			long atKill = rows(topic);
			publisher.join(60_000);
			assertThat(atKill).as("rows when the process was killed").isBetween(1000L, MESSAGES - 1L);

			runner("nsq.archive.topics=" + topic, "nsq.nsqd-addresses=" + shortTimeout.tcpAddress()).run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(60)).until(() -> rows(topic) >= MESSAGES
						&& shortTimeout.stats().channel(topic, "archive").depth() == 0
						&& shortTimeout.stats().channel(topic, "archive").inFlightCount() == 0);
			});
			NsqStats.ChannelStats stats = shortTimeout.stats().channel(topic, "archive");
			assertThat(stats.timeoutCount()).as("messages in flight at the kill, redelivered after msg-timeout").isPositive();
		}
		assertThat(rows(topic)).isEqualTo(MESSAGES);
		Long ids = jdbc().queryForObject("SELECT COUNT(DISTINCT nsq_id) FROM nsq_archive WHERE topic = ?", Long.class, topic);
		assertThat(ids).isEqualTo(MESSAGES);
		List<String> archived = jdbc().queryForList("SELECT body FROM nsq_archive WHERE topic = ?", byte[].class, topic)
			.stream()
			.map(String::new)
			.toList();
		assertThat(archived).as("every body exactly once").containsExactlyInAnyOrderElementsOf(bodies);
	}

	/** Runs {@link ArchiverApplication} in a JVM of its own, so that it can be killed with SIGKILL. */
	private Process startArchiverProcess(NsqServer server, String topic) throws Exception {
		Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", classpath,
				ArchiverApplication.class.getName(), "--nsq.nsqd-addresses=" + server.tcpAddress(),
				"--nsq.archive.topics=" + topic, "--nsq.archive.initialize-schema=always",
				"--nsq.archive.batch.max-messages=100"));
		dataSourceProperties().forEach((property) -> command.add("--" + property));
		File log = new File("target/archiver-process.log");
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

}

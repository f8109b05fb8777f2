package io.github.nsqspring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import io.github.nsqspring.archive.NsqArchive;
import io.github.nsqspring.archive.NsqArchiveContainers;
import io.github.nsqspring.listener.ContainerProperties;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** When the archive is on, how its containers are set up, and the startup errors of bad configuration. */
class ArchiveAutoConfigurationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, DataSourceAutoConfiguration.class,
				NsqArchiveAutoConfiguration.class))
		.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(),
				"spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Nested
	@ExtendWith(OutputCaptureExtension.class)
	class DurabilityWarning {

		private static final String WARNING = "a crash loses archived messages";

		@Test
		void warnsOnceForAnInMemoryDatabase(CapturedOutput output) {
			runner.withPropertyValues("nsq.archive.topics=orders")
				.run((context) -> assertThat(output).containsOnlyOnce(WARNING).contains("in-memory"));
		}

		@Test
		void warnsForH2InFileModeWithItsDefaultWriteDelay(@TempDir Path directory, CapturedOutput output) {
			runner.withPropertyValues("nsq.archive.topics=orders", "nsq.archive.initialize-schema=always",
					"spring.datasource.url=jdbc:h2:file:" + directory.resolve("archive"))
				.run((context) -> assertThat(output).containsOnlyOnce(WARNING).contains("WRITE_DELAY 500 ms"));
		}

		@Test
		void quietForH2InFileModeWithWriteDelayZero(@TempDir Path directory, CapturedOutput output) {
			runner.withPropertyValues("nsq.archive.topics=orders", "nsq.archive.initialize-schema=always",
					"spring.datasource.url=jdbc:h2:file:" + directory.resolve("archive") + ";WRITE_DELAY=0")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(output).doesNotContain(WARNING);
				});
		}

	}

	@Test
	void offWithoutTopics() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(NsqArchive.class).doesNotHaveBean(NsqArchiveContainers.class);
			assertThat(context.getBean(NsqListenerRegistry.class).getContainers()).isEmpty();
		});
	}

	@Test
	void topicsWithoutSpringJdbcFailStartupNamingTheProperty() {
		this.runner.withPropertyValues("nsq.archive.topics=orders")
			.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasStackTraceContaining("nsq.archive.topics is set but Spring JDBC is not on the classpath");
			});
		this.runner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(NsqArchive.class));
	}

	@Test
	void oneManualAckContainerPerTopicInTheRegistry() {
		this.runner.withPropertyValues("nsq.archive.topics=orders,payments", "nsq.archive.batch.max-messages=300")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(NsqArchive.class);
				NsqListenerRegistry registry = context.getBean(NsqListenerRegistry.class);
				assertThat(registry.getContainers()).extracting(NsqMessageListenerContainer::getName)
					.containsExactlyInAnyOrder("nsq-archive-orders", "nsq-archive-payments");
				NsqMessageListenerContainer orders = registry.getContainer("nsq-archive-orders").orElseThrow();
				assertThat(orders.getTopic()).isEqualTo("orders");
				assertThat(orders.getChannel()).isEqualTo("archive");
				assertThat(orders.isRunning()).isTrue();
				ContainerProperties properties = orders.getContainerProperties();
				assertThat(properties.isAutoAcknowledge()).as("manual acknowledgement").isFalse();
				assertThat(properties.getMaxInFlight()).isEqualTo(600);
				assertThat(properties.isSkipEmptyMessages()).isFalse();
				assertThat(properties.getMaxAttempts()).isEqualTo(Integer.MAX_VALUE);
			});
	}

	@Test
	void channelAndTableNameAreConfigurable() {
		this.runner.withPropertyValues("nsq.archive.topics=orders", "nsq.archive.channel=history",
				"nsq.archive.table-name=order_history")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NsqMessageListenerContainer orders = context.getBean(NsqListenerRegistry.class).getContainer("nsq-archive-orders").orElseThrow();
				assertThat(orders.getChannel()).isEqualTo("history");
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM order_history", Long.class)).isZero();
			});
	}

	@Nested
	class SchemaInitialization {

		@Test
		void embeddedCreatesTheTableInAnEmbeddedDatabase() {
			ArchiveAutoConfigurationTests.this.runner.withPropertyValues("nsq.archive.topics=orders")
				.run((context) -> assertThat(tableCount(context.getBean(DataSource.class), "NSQ_ARCHIVE")).isOne());
		}

		@Test
		void neverLeavesTheDatabaseAlone() {
			ArchiveAutoConfigurationTests.this.runner
				.withPropertyValues("nsq.archive.topics=orders", "nsq.archive.initialize-schema=never")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(tableCount(context.getBean(DataSource.class), "NSQ_ARCHIVE")).isZero();
				});
		}

		private long tableCount(DataSource dataSource, String table) {
			Long count = new JdbcTemplate(dataSource)
				.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = ?", Long.class, table);
			return (count != null) ? count : 0;
		}

	}

	@Nested
	class BadConfiguration {

		@Test
		void topicsWithoutADataSourceFailNamingTheProperty() {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class, NsqArchiveAutoConfiguration.class))
				.withPropertyValues("nsq.nsqd-addresses=" + nsqd.tcpAddress(), "nsq.archive.topics=orders")
				.run((context) -> assertThat(context).getFailure()
					.rootCause()
					.hasMessageContaining("nsq.archive.topics")
					.hasMessageContaining("no DataSource"));
		}

		@Test
		void invalidTopicFailsNamingTheProperty() {
			assertFailure("nsq.archive.topics=orders,bad topic!", "nsq.archive.topics", "bad topic!");
		}

		@Test
		void ephemeralChannelFailsNamingTheProperty() {
			assertFailure("nsq.archive.channel=archive#ephemeral", "nsq.archive.channel", "ephemeral");
		}

		@Test
		void tableNameThatIsNotAnIdentifierFailsNamingTheProperty() {
			assertFailure("nsq.archive.table-name=archive; DROP TABLE x", "nsq.archive.table-name", "plain SQL identifier");
		}

		@Test
		void batchSettingsOutOfRangeFailNamingTheProperty() {
			assertFailure("nsq.archive.batch.max-messages=0", "nsq.archive.batch.max-messages", "between 1 and 2500");
			assertFailure("nsq.archive.batch.max-messages=2501", "nsq.archive.batch.max-messages", "between 1 and 2500");
			assertFailure("nsq.archive.batch.flush-interval=0s", "nsq.archive.batch.flush-interval", "positive");
		}

		@Test
		void unknownSchemaModeFails() {
			assertFailure("nsq.archive.initialize-schema=sometimes", "nsq.archive.initialize-schema", "sometimes");
		}

		private void assertFailure(String property, String... messages) {
			ArchiveAutoConfigurationTests.this.runner.withPropertyValues("nsq.archive.topics=orders", property)
				.run((context) -> {
					assertThat(context).hasFailed();
					Throwable failure = context.getStartupFailure();
					StringBuilder all = new StringBuilder();
					for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
						all.append(cause.getMessage()).append('\n');
					}
					for (String message : messages) {
						assertThat(all.toString()).contains(message);
					}
				});
		}

	}

	@Test
	void defaults() {
		NsqProperties.Archive archive = new NsqProperties().getArchive();
		assertThat(archive.getTopics()).isEmpty();
		assertThat(archive.getChannel()).isEqualTo("archive");
		assertThat(archive.getTableName()).isEqualTo("nsq_archive");
		assertThat(archive.getInitializeSchema()).isEqualTo(NsqProperties.Archive.SchemaInitialization.EMBEDDED);
		assertThat(archive.getBatch().getMaxMessages()).isEqualTo(500);
		assertThat(archive.getBatch().getFlushInterval()).isEqualTo(Duration.ofMillis(250));
	}

}

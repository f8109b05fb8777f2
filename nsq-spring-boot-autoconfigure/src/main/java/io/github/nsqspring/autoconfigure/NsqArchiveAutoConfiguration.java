package io.github.nsqspring.autoconfigure;

import javax.sql.DataSource;

import io.github.nsqspring.annotation.NsqListenerAnnotationBeanPostProcessor;
import io.github.nsqspring.archive.ArchiveTable;
import io.github.nsqspring.archive.NsqArchive;
import io.github.nsqspring.archive.NsqArchiveContainers;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.listener.NsqListenerContainerFactory;
import io.github.nsqspring.listener.NsqListenerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The archive channel ({@code nsq.archive.*}): when {@code nsq.archive.topics} is set and Spring JDBC is
 * on the classpath, one archive container per topic writes every message to a table of the application's
 * {@link DataSource}, and {@link NsqArchive} reads, replays and purges it. Topics set without a
 * {@code DataSource} fail startup.
 */
@AutoConfiguration(after = NsqAutoConfiguration.class,
		afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({ JdbcTemplate.class, DataSourceScriptDatabaseInitializer.class })
@Conditional(OnArchiveTopicsCondition.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class NsqArchiveAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ArchiveTable nsqArchiveTable(NsqProperties properties, ObjectProvider<DataSource> dataSource) {
		return new ArchiveTable(requireDataSource(properties, dataSource), properties.getArchive().getTableName());
	}

	@Bean
	@ConditionalOnMissingBean
	NsqArchiveSchemaInitializer nsqArchiveSchemaInitializer(NsqProperties properties, ObjectProvider<DataSource> dataSource) {
		return new NsqArchiveSchemaInitializer(requireDataSource(properties, dataSource), properties.getArchive());
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	NsqArchive nsqArchive(ArchiveTable table, NsqOperations operations, NsqProperties properties) {
		return new NsqArchive(table, operations, properties.getArchive().getBatch().getMaxMessages(),
				(int) properties.getProducer().getMaxBodySize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	@DependsOnDatabaseInitialization
	NsqArchiveContainers nsqArchiveContainers(NsqProperties properties, ArchiveTable table,
			@Qualifier(NsqListenerAnnotationBeanPostProcessor.DEFAULT_CONTAINER_FACTORY_BEAN_NAME) NsqListenerContainerFactory factory,
			NsqListenerRegistry registry) {
		NsqProperties.Archive archive = properties.getArchive();
		return new NsqArchiveContainers(archive.getTopics(), archive.getChannel(), table,
				archive.getBatch().getMaxMessages(), archive.getBatch().getFlushInterval(), factory, registry);
	}

	@Bean
	ArchiveDurabilityCheck nsqArchiveDurabilityCheck(NsqProperties properties, ObjectProvider<DataSource> dataSource) {
		return new ArchiveDurabilityCheck(requireDataSource(properties, dataSource));
	}

	private static DataSource requireDataSource(NsqProperties properties, ObjectProvider<DataSource> dataSource) {
		DataSource available = dataSource.getIfAvailable();
		if (available == null) {
			throw new IllegalStateException("nsq.archive.topics is set (" + properties.getArchive().getTopics()
					+ ") but the application has no DataSource to archive into: add spring-boot-starter-jdbc and a "
					+ "JDBC driver (or define a DataSource bean), or remove nsq.archive.topics");
		}
		return available;
	}

}

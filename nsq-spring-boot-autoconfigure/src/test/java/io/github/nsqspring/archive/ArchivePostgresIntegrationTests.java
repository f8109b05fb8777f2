package io.github.nsqspring.archive;

import java.util.List;

import io.github.nsqspring.test.PostgresServer;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The archive into a real PostgreSQL server. */
class ArchivePostgresIntegrationTests extends AbstractArchiveIntegrationTests {

	@RegisterExtension
	static PostgresServer postgres = PostgresServer.create();

	@Override
	List<String> dataSourceProperties() {
		return List.of("spring.datasource.url=" + postgres.jdbcUrl(), "spring.datasource.username=" + PostgresServer.USER,
				"spring.datasource.password=");
	}

	@Override
	DriverManagerDataSource assertionDataSource() {
		return new DriverManagerDataSource(postgres.jdbcUrl(), PostgresServer.USER, "");
	}

}

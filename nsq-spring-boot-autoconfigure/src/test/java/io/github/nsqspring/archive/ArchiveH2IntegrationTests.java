package io.github.nsqspring.archive;

import java.util.List;
import java.util.UUID;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The archive into an embedded H2 database. */
class ArchiveH2IntegrationTests extends AbstractArchiveIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	private static final String URL = "jdbc:h2:mem:archive-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Override
	NsqServer nsqd() {
		return nsqd;
	}

	@Override
	List<String> dataSourceProperties() {
		return List.of("spring.datasource.url=" + URL);
	}

	@Override
	DriverManagerDataSource assertionDataSource() {
		return new DriverManagerDataSource(URL, "sa", "");
	}

}

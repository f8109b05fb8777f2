package io.github.nsqspring.archive;

import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The archive's tests into an embedded H2 database of the test class, kept until the JVM exits. */
abstract class AbstractH2ArchiveIntegrationTests extends AbstractArchiveIntegrationTests {

	private final String url = "jdbc:h2:mem:" + getClass().getSimpleName() + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Override
	List<String> dataSourceProperties() {
		return List.of("spring.datasource.url=" + this.url);
	}

	@Override
	DriverManagerDataSource assertionDataSource() {
		return new DriverManagerDataSource(this.url, "sa", "");
	}

}

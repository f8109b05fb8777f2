package io.github.nsqspring.archive;

import java.util.List;
import java.util.UUID;

import io.github.nsqspring.core.TlsProperties;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The archive's tests against an nsqd that requires TLS: the archive's containers consume over TLS. */
class ArchiveTlsIntegrationTests extends AbstractArchiveIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required());

	private static final String URL = "jdbc:h2:mem:archive-tls-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

	@Override
	NsqServer nsqd() {
		return nsqd;
	}

	@Override
	List<String> connectionProperties() {
		return List.of(TlsProperties.trusting(nsqd));
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

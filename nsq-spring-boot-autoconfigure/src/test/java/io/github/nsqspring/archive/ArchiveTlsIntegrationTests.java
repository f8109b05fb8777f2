package io.github.nsqspring.archive;

import java.util.List;

import io.github.nsqspring.core.TlsProperties;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The archive's tests against an nsqd that requires TLS: the archive's containers consume over TLS. */
class ArchiveTlsIntegrationTests extends AbstractH2ArchiveIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required());

	@Override
	NsqServer nsqd() {
		return nsqd;
	}

	@Override
	List<String> connectionProperties() {
		return List.of(TlsProperties.trusting(nsqd));
	}

}

package io.github.nsqspring.listener;

import io.github.nsqspring.core.TlsProperties;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The parallel drain test against an nsqd that requires TLS: nothing lost, no timeouts, nothing in flight. */
class TlsParallelDrainIntegrationTests extends AbstractParallelDrainIntegrationTests {

	@RegisterExtension
	static NsqServer tlsNsqd = NsqServer.withTls(NsqServerTls.required());

	@Override
	NsqServer server() {
		return tlsNsqd;
	}

	@Override
	String[] connectionProperties() {
		return TlsProperties.trusting(tlsNsqd);
	}

}

package io.github.nsqspring.listener;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The parallel drain test against a plain nsqd. */
class ParallelDrainIntegrationTests extends AbstractParallelDrainIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@Override
	NsqServer server() {
		return nsqd;
	}

	@Override
	String[] connectionProperties() {
		return new String[] { "nsq.nsqd-addresses=" + nsqd.tcpAddress() };
	}

}

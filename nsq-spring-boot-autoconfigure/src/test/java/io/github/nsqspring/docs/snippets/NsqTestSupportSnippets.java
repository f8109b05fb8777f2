package io.github.nsqspring.docs.snippets;

import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.test.NsqAuthServer;
import io.github.nsqspring.test.NsqAuthServer.Authorization;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import io.github.nsqspring.test.NsqTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/testing.md: nested classes, so that Surefire never runs them (it skips classes with a '$'). */
final class NsqTestSupportSnippets {

	private NsqTestSupportSnippets() {
	}

	static class Server {

		// tag::nsq-server[]
		@RegisterExtension
		static NsqServer nsqd = NsqServer.create();          // or NsqServer.withArguments("--msg-timeout=3s")

		@DynamicPropertySource
		static void nsq(DynamicPropertyRegistry registry) {
			nsqd.registerProperties(registry);               // nsq.nsqd-addresses
		}

		@Test
		void test() {
			nsqd.publish("orders", "{\"id\":1}");            // HTTP /pub
			assertThat(nsqd.stats().channel("orders", "billing").depth()).isZero();   // /stats?format=json
		}
		// end::nsq-server[]

	}

	// tag::nsq-test[]
	@SpringBootTest
	@NsqTest(lookupd = true)
	class OrderFlowTests {

		@Autowired
		NsqOperations template;

		@Test
		void roundTrip(NsqCluster cluster) {
			this.template.send("orders", new Order("1", "alice", 120));
			assertThat(cluster.nsqd(0).stats().topic("orders").messageCount()).isEqualTo(1);
		}

	}
	// end::nsq-test[]

	static class Auth {

		// tag::auth-server[]
		@RegisterExtension
		static NsqAuthServer auth = NsqAuthServer.create().allow("s3cret", "billing", Authorization.publish("orders.*"));

		@RegisterExtension
		static NsqServer nsqd = NsqServer.withTls(NsqServerTls.required(), auth.nsqdArgument());
		// end::auth-server[]

	}

}

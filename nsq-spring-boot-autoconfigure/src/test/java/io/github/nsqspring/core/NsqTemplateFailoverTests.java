package io.github.nsqspring.core;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link NsqTemplate} with several real nsqd: failover, failback, more than two addresses. */
class NsqTemplateFailoverTests {

	@RegisterExtension
	static NsqServer primary = NsqServer.create();

	@RegisterExtension
	static NsqServer failover = NsqServer.create();

	@RegisterExtension
	static NsqServer third = NsqServer.create();

	private NsqTemplate template;

	@AfterEach
	void stopTemplate() {
		this.template.stop();
		primary.start();
	}

	@Test
	void sendsLandOnTheFailoverWhileThePrimaryIsDownAndReturnAfterTheFailbackInterval() {
		this.template = TestTemplates.started(List.of(primary.tcpAddress(), failover.tcpAddress()), 2,
				Duration.ofSeconds(2), Duration.ofSeconds(1));
		this.template.send("failover", "on primary");
		primary.stop();
		for (int i = 0; i < 100; i++) {
			this.template.send("failover", "on failover " + i);
		}
		assertThat(failover.stats().topic("failover").messageCount()).isEqualTo(100);

		primary.start();
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
			this.template.send("failover", "back");
			return primary.stats().topic("failover").depth() > 1;
		});
	}

	@Test
	void unreachablePrimaryAddressFailsOverAtOnce() throws Exception {
		String unused;
		try (ServerSocket socket = new ServerSocket(0)) {
			unused = "127.0.0.1:" + socket.getLocalPort();
		}
		this.template = TestTemplates.started(List.of(unused, failover.tcpAddress()), 2, Duration.ofSeconds(2),
				Duration.ofMinutes(1));
		for (int i = 0; i < 10; i++) {
			this.template.send("unreachable", "m" + i);
		}
		assertThat(failover.stats().topic("unreachable").messageCount()).isEqualTo(10);
	}

	@Test
	void moreThanTwoAddressesSpreadPublishesRoundRobin() {
		this.template = TestTemplates.started(List.of(primary.tcpAddress(), failover.tcpAddress(), third.tcpAddress()), 1,
				Duration.ofSeconds(2), Duration.ofMinutes(1));
		for (int i = 0; i < 30; i++) {
			this.template.send("spread", "m" + i);
		}
		assertThat(List.of(primary, failover, third)).allSatisfy(
				(nsqd) -> assertThat(nsqd.stats().topic("spread").messageCount()).as(nsqd.toString()).isEqualTo(10));
	}

}

package io.github.nsqspring.listener;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.core.NsqMessage;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MANUAL listener whose handler returns without finishing or requeueing its message does not stall:
 * auto-touch lets the message go after nsqd's message timeout (2 s here), with one WARN, and nsqd
 * redelivers it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManualStallIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.withArguments("--msg-timeout=2s");

	@Test
	void unacknowledgedMessageIsLetGoAndRedelivered(CapturedOutput output) {
		nsqd.createChannel("forgotten", "c");
		ContainerProperties properties = new ContainerProperties("forgotten", "c");
		properties.setName("forgetful");
		properties.setNsqdAddresses(List.of(nsqd.tcpAddress()));
		properties.setAutoAcknowledge(false);
		List<NsqMessage> deliveries = new CopyOnWriteArrayList<>();
		NsqListenerContainer container = new NsqListenerContainer(1, properties, (message) -> {
			deliveries.add(message);
			if (message.attempts() > 1) {
				message.finish();
			}
		}, (message, cause) -> {
		});
		container.start();
		try {
			nsqd.publish("forgotten", "never acknowledged the first time");
			await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() == 2);
			String id = deliveries.get(0).id();
			assertThat(deliveries.get(1).id()).isEqualTo(id);
			assertThat(deliveries.get(1).attempts()).isEqualTo(2);
			await().untilAsserted(() -> {
				var channel = nsqd.stats().channel("forgotten", "c");
				assertThat(channel.timeoutCount()).isEqualTo(1);
				assertThat(channel.inFlightCount()).isZero();
				assertThat(channel.depth()).isZero();
			});
			assertThat(container.getStats().getInFlight()).isZero();
			assertThat(output.getOut()).containsOnlyOnce("Listener 'forgetful' stops touching message " + id);
		}
		finally {
			container.stop();
		}
	}

}

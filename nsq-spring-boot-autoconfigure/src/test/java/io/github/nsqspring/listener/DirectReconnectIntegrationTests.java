package io.github.nsqspring.listener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A listener connected to nsqd directly (no nsqlookupd) comes back soon after nsqd restarts, whatever the
 * lookupd poll interval, with one WARN for the outage instead of an nsq-j ERROR per attempt.
 */
@ExtendWith(OutputCaptureExtension.class)
class DirectReconnectIntegrationTests {

	@RegisterExtension
	static NsqServer nsqd = NsqServer.create();

	@Test
	void listenerReconnectsSoonAfterNsqdRestarts(CapturedOutput output) {
		nsqd.createChannel("reconnect", "c");
		ContainerProperties properties = new ContainerProperties("reconnect", "c");
		properties.setName("reconnecting");
		properties.setNsqdAddresses(List.of(nsqd.tcpAddress()));
		properties.setLookupdPollInterval(Duration.ofSeconds(60));
		List<String> received = new CopyOnWriteArrayList<>();
		NsqListenerContainer container = new NsqListenerContainer(1, properties,
				(message) -> received.add(new String(message.body(), StandardCharsets.UTF_8)), (message, cause) -> {
				});
		container.start();
		try {
			nsqd.publish("reconnect", "before");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));

			nsqd.stop();
			await().atMost(Duration.ofSeconds(10)).until(() -> container.getConnectionCount() == 0);
			// an outage of a few seconds: several attempts to reach nsqd fail meanwhile
			await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> container.getConnectionCount() == 0);
			nsqd.start();
			long restarted = System.nanoTime();
			// reconnect-max-delay (2 s) is the longest pause between attempts (checked once a second), plus the
			// handshake and CI's load: 0.8-1.4 s measured on a quiet machine
			await().atMost(Duration.ofSeconds(4)).until(() -> container.getConnectionCount() == 1);
			System.out.println("Listener reconnected " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
					+ " ms after nsqd was back");
			nsqd.publish("reconnect", "after");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("after"));

			assertThat(count(output.getOut(), "cannot be reached")).as("WARNs for the outage").isEqualTo(1);
			assertThat(count(output.getOut(), "NsqListenerContainer - nsqd " + nsqd.tcpAddress() + " of listener 'reconnecting' "
					+ "cannot be reached")).as("the WARN in the listener's category").isEqualTo(1);
			assertThat(count(output.getOut(), "error connecting to")).as("nsq-j connect ERRORs").isZero();
		}
		finally {
			container.stop();
		}
	}

	private static int count(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

}

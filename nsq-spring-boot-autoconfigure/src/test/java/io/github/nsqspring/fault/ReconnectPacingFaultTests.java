package io.github.nsqspring.fault;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.TestTemplates;
import io.github.nsqspring.fault.GarbageFaultTests.GarbageListener;
import io.github.nsqspring.fault.GarbageFaultTests.Received;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reconnect pacing while nsqd is down for 30 s: a fake nsqd counts the connection attempts (it accepts
 * and closes each at once while "down", so every attempt fails as against a stopped nsqd, and can be
 * counted). A template publishing in a tight loop and a listener container connecting directly must not
 * hammer it, and both recover once it is up.
 */
@Tag("fault")
class ReconnectPacingFaultTests {

	private static final Duration DOWN = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

	@Test
	void templateAndContainerReconnectAtABoundedPace() throws Exception {
		AtomicBoolean up = new AtomicBoolean();
		FakeNsqd.Script downOrServing = (peer) -> {
			if (!up.get()) {
				peer.out.close();
				return;
			}
			peer.handshake();
			peer.serveUntil("RDY");
			peer.message("0123456789abcdef", "after the outage");
			peer.serveForever();
		};
		try (FakeNsqd producerSide = FakeNsqd.start((peer) -> {
			if (!up.get()) {
				peer.out.close();
				return;
			}
			peer.handshake();
			peer.serveForever();
		}); FakeNsqd consumerSide = FakeNsqd.start(downOrServing)) {
			NsqTemplate template = TestTemplates.started(List.of(producerSide.address()), 1, Duration.ofSeconds(2),
					Duration.ofMinutes(1));
			AtomicLong publishFailures = new AtomicLong();
			Received received = new Received();
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
				.withPropertyValues("nsq.nsqd-addresses=" + consumerSide.address(),
						"nsq.consumer.lookupd-poll-interval=" + POLL_INTERVAL.toSeconds() + "s",
						"nsq.consumer.reconnect-delay=1s", "nsq.consumer.reconnect-max-delay=4s")
				.withBean(Received.class, () -> received)
				.withUserConfiguration(GarbageListener.class)
				.run((context) -> {
					long end = System.nanoTime() + DOWN.toNanos();
					while (System.nanoTime() < end) {
						try {
							template.send("pacing", "while down");
						}
						catch (NsqPublishException ex) {
							publishFailures.incrementAndGet();
						}
					}
					int templateAttempts = producerSide.connections();
					int containerAttempts = consumerSide.connections();
					System.out.printf("reconnect pacing over %d s down: template connection %d attempts (%d publishes"
							+ " failed), container %d connections (reconnect-delay 1 s to 4 s)%n", DOWN.toSeconds(),
							templateAttempts, publishFailures.get(), containerAttempts);
					// backoff 100 ms doubling to 2 s, drawn between half and all of it: the first five attempts
					// take at least 1.55 s, then at least 1 s passes between two, so at most 5 + 29 in 30 s
					assertThat(templateAttempts).as("template connection attempts").isBetween(5, 34);
					// a publish waits for the next attempt when it comes before its deadline, else fails at once
					assertThat(publishFailures.get()).as("failed publishes").isGreaterThanOrEqualTo(templateAttempts - 1);
					// a direct nsqd is checked once a second; while it has no connection it is probed after 1 s
					// doubling to 4 s, each drawn between half and all of it: probes at the first check, then at
					// least 1 s, 1 s and 2 s apart, so at most 3 + 28 / 2 = 17 in 30 s; a probe that connects lets
					// nsq-j connect once, and the container's first subscribe is one more: at most 2 * 17 + 1
					assertThat(containerAttempts).as("container connections").isBetween(2, 35);

					up.set(true);
					long upAt = System.nanoTime();
					assertThat(received.bodies.poll(POLL_INTERVAL.toSeconds() + 5, TimeUnit.SECONDS))
						.isEqualTo("after the outage");
					System.out.printf("container consumed %d ms after nsqd came back%n",
							TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upAt));
				});
			await().atMost(Duration.ofSeconds(5))
				.ignoreExceptionsInstanceOf(NsqPublishException.class)
				.untilAsserted(() -> template.send("pacing", "after the outage"));
			template.stop();
		}
	}

}

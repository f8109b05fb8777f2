package io.github.nsqspring.fault;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.core.NsqPublishException;
import io.github.nsqspring.core.NsqTemplate;
import io.github.nsqspring.core.TestTemplates;
import io.github.nsqspring.fault.FakeNsqd.Peer;
import io.github.nsqspring.listener.NsqMessageListenerContainer;
import io.github.nsqspring.listener.NsqListenerRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Garbage from the wire: a fake nsqd answers the template and a listener with malformed frames. The
 * template fails the publish at once with an error naming the address and the fault, allocates nothing
 * for a bogus size and replaces the connection; the listener's connection is replaced and consumption
 * goes on.
 */
@Tag("fault")
@ExtendWith(OutputCaptureExtension.class)
class GarbageFaultTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	@ParameterizedTest
	@EnumSource(Garbage.class)
	void templateFailsThePublishNamingTheAddressAndReplacesTheConnection(Garbage garbage, CapturedOutput output)
			throws Exception {
		try (FakeNsqd fake = FakeNsqd.start((peer) -> {
			peer.handshake();
			peer.serveUntil("PUB");
			garbage.answerPublish(peer);
		}, (peer) -> {
			peer.handshake();
			peer.serveForever();
		})) {
			NsqTemplate template = TestTemplates.started(List.of(fake.address()), 1, TIMEOUT, Duration.ofMinutes(1));
			try {
				long start = System.nanoTime();
				if (garbage.answersThePublish()) {
					template.send("garbage", "answered, then a response to nothing");
				}
				else {
					assertThatExceptionOfType(NsqPublishException.class).isThrownBy(() -> template.send("garbage", "x"))
						.withMessageContaining(fake.address())
						.withMessageContaining(garbage.error);
					// detected on the frame itself, not by the watchdog at the timeout
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
				}
				await().atMost(TIMEOUT).until(() -> fake.isClosedByClient(1));
				assertThat(output).contains("Closing connection to nsqd " + fake.address()).contains(garbage.error);

				template.send("garbage", "on a new connection");
				assertThat(fake.connections()).isEqualTo(2);
			}
			finally {
				template.stop();
			}
			await().atMost(TIMEOUT).untilAsserted(() -> assertThat(threadsNaming(fake.address())).isEmpty());
		}
	}

	/**
	 * The listener closes the connection (one ERROR naming the listener, nsqd and the fault, when the
	 * listener's frame check finds it), reconnects and consumes the next connection's message. A bogus
	 * 2 GB size is refused before anything is allocated for it. A response to nothing is handled safely: it
	 * closes the connection with that ERROR and is never taken as the answer to a later command, so the
	 * drain's CLS on the new connection still gets its own CLOSE_WAIT.
	 */
	@ParameterizedTest
	@EnumSource(Garbage.class)
	void listenerReplacesTheConnectionAndGoesOnConsuming(Garbage garbage, CapturedOutput output) throws Exception {
		try (FakeNsqd fake = FakeNsqd.start((peer) -> {
			peer.handshake();
			peer.serveUntil("RDY");
			garbage.deliver(peer);
		}, (peer) -> {
			peer.handshake();
			peer.serveUntil("RDY");
			peer.message("0123456789abcdef", "after " + garbage);
			peer.serveForever();
		})) {
			Received received = new Received();
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
				.withPropertyValues("nsq.nsqd-addresses=" + fake.address(), "nsq.consumer.lookupd-poll-interval=1s")
				.withBean(Received.class, () -> received)
				.withUserConfiguration(GarbageListener.class)
				.run((context) -> {
					assertThat(received.bodies.poll(20, TimeUnit.SECONDS)).isEqualTo("after " + garbage);
					assertThat(fake.isClosedByClient(1)).as("the first connection was closed").isTrue();
					assertThat(output).contains(fake.address());
					if (garbage.listenerError != null) {
						String error = "Listener 'garbage' closes its connection to nsqd " + fake.address() + ": "
								+ garbage.listenerError;
						assertThat(StringUtils.countOccurrencesOf(output.getAll(), error)).as("ERRORs for the fault").isOne();
					}
					NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("garbage")
						.orElseThrow();
					container.stop();
					assertThat(container.getLastDrain().connectionsClosed()).as("CLOSE_WAIT answered the drain's CLS")
						.isEqualTo(1);
				});
		}
	}

	private static List<String> threadsNaming(String address) {
		return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
			.filter((name) -> name.contains(address)).toList();
	}

	/** A malformed answer, and the errors the template and the listener report for it. */
	enum Garbage {

		NEGATIVE_SIZE("Invalid frame size -5", "Invalid frame size -5") {
			@Override
			void send(Peer peer) throws IOException {
				peer.rawInt(-5);
				peer.rawInt(FakeNsqd.RESPONSE);
				peer.raw("OK".getBytes());
			}
		},

		TWO_GB_SIZE("Invalid frame size 2147483647", "Invalid frame size 2147483647") {
			@Override
			void send(Peer peer) throws IOException {
				// the size alone: a client that allocated for it would now wait for 2 GB that never come
				peer.rawInt(Integer.MAX_VALUE);
			}
		},

		UNKNOWN_FRAME_TYPE("Unexpected frame type 7", "Unexpected frame type 7") {
			@Override
			void send(Peer peer) throws IOException {
				peer.frame(7, "OK");
			}
		},

		/** nsq-j's read thread reports the listener's side (the connection ends). */
		TRUNCATED_FRAME("connection to nsqd lost: java.io.EOFException", null) {
			@Override
			void send(Peer peer) throws IOException {
				peer.rawInt(104);
				peer.rawInt(FakeNsqd.RESPONSE);
				peer.raw("only ten b".getBytes());
				peer.out.close();
			}
		},

		RESPONSE_TO_NOTHING("while no publish was outstanding", "Unsolicited response 'OK'") {
			@Override
			void send(Peer peer) throws IOException {
				peer.frame(FakeNsqd.RESPONSE, "OK");
			}

			@Override
			void answerPublish(Peer peer) throws IOException {
				peer.frame(FakeNsqd.RESPONSE, "OK");
				send(peer);
			}
		},

		RANDOM_BYTES("Invalid frame size", "Invalid frame size") {
			@Override
			void send(Peer peer) throws IOException {
				byte[] bytes = new byte[64];
				new Random(15).nextBytes(bytes);
				peer.raw(bytes);
			}
		};

		final String error;

		final String listenerError;

		Garbage(String error, String listenerError) {
			this.error = error;
			this.listenerError = listenerError;
		}

		abstract void send(Peer peer) throws IOException;

		/** What the template's first publish gets. */
		void answerPublish(Peer peer) throws IOException {
			send(peer);
		}

		boolean answersThePublish() {
			return this == RESPONSE_TO_NOTHING;
		}

		/** What the listener's first connection gets after its RDY. */
		void deliver(Peer peer) throws IOException {
			send(peer);
		}

	}

	/** Bodies the listener handled. */
	static class Received {

		final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class GarbageListener {

		private final Received received;

		GarbageListener(Received received) {
			this.received = received;
		}

		@NsqListener(id = "garbage", topic = "garbage", channel = "fault")
		void onMessage(String body) {
			this.received.bodies.add(body);
		}

	}

}

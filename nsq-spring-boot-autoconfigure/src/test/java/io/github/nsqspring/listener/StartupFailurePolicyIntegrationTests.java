package io.github.nsqspring.listener;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.listener.event.NsqListenerContainerFailedToStartEvent;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code nsq.consumer.startup-failure} against real processes: nothing listening on the nsqd port, an
 * nsqlookupd that lists no nsqd for the topic, and an nsqd that starts while {@code retry} waits.
 */
class StartupFailurePolicyIntegrationTests {

	/** Its nsqd has no topic of these tests: its nsqlookupd lists no nsqd for them. */
	@RegisterExtension
	static NsqCluster cluster = NsqCluster.of(1);

	/** Stopped by a test, and started again while the application waits. */
	@RegisterExtension
	static NsqServer late = NsqServer.create();

	static final List<NsqListenerContainerFailedToStartEvent> failedToStart = new CopyOnWriteArrayList<>();

	@AfterEach
	void clear() {
		failedToStart.clear();
	}

	private static ApplicationContextRunner runner(String... properties) {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NsqAutoConfiguration.class))
			.withPropertyValues("spring.application.name=startup")
			.withPropertyValues(properties)
			.withUserConfiguration(Listener.class);
	}

	private static String closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return "127.0.0.1:" + socket.getLocalPort();
		}
	}

	@Nested
	class NothingListening {

		@Test
		void continueStartsAndKeepsLooking() throws IOException {
			runner("nsq.nsqd-addresses=" + closedPort()).run((context) -> {
				assertThat(context).hasNotFailed();
				NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainer("startup-policy").orElseThrow();
				assertThat(container.getState()).isEqualTo(ContainerState.RUNNING);
				assertThat(container.getConnectionCount()).isZero();
			});
			assertThat(failedToStart).isEmpty();
		}

		@Test
		void stopFailsTheContextNamingTheListenerAndTheSocketsAnswer() throws IOException {
			String address = closedPort();
			Set<Thread> before = Thread.getAllStackTraces().keySet();
			long start = System.nanoTime();
			runner("nsq.nsqd-addresses=" + address, "nsq.consumer.startup-failure=stop").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("1 NSQ listener(s) without an nsqd connection")
					.hasStackTraceContaining("Listener 'startup-policy' (startup-policy/startup) has no nsqd connection at startup "
							+ "(nsq.consumer.startup-failure=stop): nsqd " + address + ": java.net.ConnectException: Connection refused");
			});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).as("stop does not wait").isLessThan(Duration.ofSeconds(10));
			assertThat(failedToStart).singleElement().satisfies((event) -> {
				assertThat(event.getListenerId()).isEqualTo("startup-policy");
				assertThat(event.getCause()).hasMessageContaining("nsqd " + address + ": java.net.ConnectException");
			});
			await().untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
				.filteredOn((thread) -> !before.contains(thread) && thread.getName().startsWith("nsq-"))
				.as("threads of the stopped containers")
				.isEmpty());
		}

		@Test
		void retryWaitsForTheTimeoutThenFailsTheSameWay() throws IOException {
			String address = closedPort();
			long start = System.nanoTime();
			runner("nsq.nsqd-addresses=" + address, "nsq.consumer.startup-failure=retry", "nsq.consumer.startup-timeout=2s")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).hasStackTraceContaining("Listener 'startup-policy' (startup-policy/startup) "
							+ "has no nsqd connection after nsq.consumer.startup-timeout=PT2S (nsq.consumer.startup-failure=retry): nsqd "
							+ address + ": java.net.ConnectException: Connection refused");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(failedToStart).hasSize(1);
		}

	}

	@Nested
	class LookupdListingNoNsqd {

		@Test
		void stopSaysThatTheLookupdListsNoNsqdForTheTopic() {
			String lookupd = cluster.lookupd().httpAddress();
			assertThat(cluster.lookupd().lookup("startup-policy")).isEmpty();
			runner("nsq.lookupd-addresses=" + lookupd, "nsq.consumer.startup-failure=stop").run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("Listener 'startup-policy' (startup-policy/startup) "
						+ "has no nsqd connection at startup (nsq.consumer.startup-failure=stop): nsqlookupd " + lookupd
						+ " lists no nsqd for topic 'startup-policy'");
			});
			assertThat(failedToStart).hasSize(1);
		}

		@Test
		void retrySaysTheSameAfterTheTimeout() {
			String lookupd = cluster.lookupd().httpAddress();
			long start = System.nanoTime();
			runner("nsq.lookupd-addresses=" + lookupd, "nsq.consumer.startup-failure=retry", "nsq.consumer.startup-timeout=2s")
				.run((context) -> {
					assertThat(context).hasFailed();
					assertThat(context.getStartupFailure()).hasStackTraceContaining("after nsq.consumer.startup-timeout=PT2S "
							+ "(nsq.consumer.startup-failure=retry): nsqlookupd " + lookupd + " lists no nsqd for topic 'startup-policy'");
				});
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		}

		@Test
		void continueStarts() {
			runner("nsq.lookupd-addresses=" + cluster.lookupd().httpAddress()).run((context) -> assertThat(context).hasNotFailed());
		}

	}

	@Nested
	class NsqdStartingLate {

		@Test
		void retrySucceedsWhenNsqdStartsWithinTheTimeout() throws InterruptedException {
			late.stop();
			Thread starter = new Thread(() -> {
				try {
					Thread.sleep(1500);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				late.start();
			});
			long start = System.nanoTime();
			starter.start();
			try {
				runner("nsq.nsqd-addresses=" + late.tcpAddress(), "nsq.consumer.startup-failure=retry",
						"nsq.consumer.startup-timeout=20s")
					.run((context) -> {
						assertThat(context).hasNotFailed();
						Duration startup = Duration.ofNanos(System.nanoTime() - start);
						System.out.println("Started " + startup.toMillis() + " ms after the test began; nsqd started after 1500 ms");
						assertThat(startup).as("waited for nsqd").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
						assertThat(context.getBean(NsqListenerRegistry.class).getContainer("startup-policy").orElseThrow().getConnectionCount())
							.isEqualTo(1);
					});
			}
			finally {
				starter.join();
			}
			assertThat(failedToStart).isEmpty();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		@NsqListener(id = "startup-policy", topic = "startup-policy")
		void on(String body) {
		}

		@EventListener
		void on(NsqListenerContainerFailedToStartEvent event) {
			failedToStart.add(event);
		}

	}

}

package io.github.nsqspring.listener;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.nsqspring.actuate.NsqEndpoint;
import io.github.nsqspring.annotation.NsqListener;
import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.autoconfigure.NsqHealthContributorAutoConfiguration;
import io.github.nsqspring.core.NsqOperations;
import io.github.nsqspring.core.TlsProperties;
import io.github.nsqspring.support.NsqVersion;
import io.github.nsqspring.test.NsqAuthServer;
import io.github.nsqspring.test.NsqAuthServer.Authorization;
import io.github.nsqspring.test.NsqCluster;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import io.github.nsqspring.test.NsqStats;
import io.github.nsqspring.test.NsqTlsCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Listener containers over TLS (hostname verification, client certificates) and with AUTH, against real
 * nsqd processes with test certificates and a real auth server: consuming works, and a refusal (untrusted
 * or mismatched certificate, no client certificate, wrong secret, no subscribe permission) is one ERROR
 * naming the listener, nsqd and nsqd's answer, the listener's health DOWN, retries paced, startup quick.
 */
@ExtendWith(OutputCaptureExtension.class)
class NsqListenerSecurityIntegrationTests {

	private static final String SECRET = "listener-s3cret-never-logged";

	private static final String WRONG_SECRET = "wrong-s3cret-never-logged";

	private static final String PUBLISH_ONLY_SECRET = "publish-only-s3cret-never-logged";

	private static final String CHANNEL = "secure";

	private static final Duration DELIVERY = Duration.ofSeconds(20);

	private static final AtomicInteger topics = new AtomicInteger();

	@RegisterExtension
	static NsqAuthServer auth = NsqAuthServer.create();

	@RegisterExtension
	static NsqServer tlsNsqd = NsqServer.withTls(NsqServerTls.required());

	private static final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class,
				NsqHealthContributorAutoConfiguration.class))
		.withPropertyValues("nsq.consumer.default-channel=" + CHANNEL, "nsq.producer.timeout=3s");

	private static final List<String> LOGGERS = List.of("io.github.nsqspring", "com.sproutsocial.nsq");

	private static final Map<String, LogLevel> configuredLevels = new HashMap<>();

	@BeforeAll
	static void debugLogging() {
		LoggingSystem logging = LoggingSystem.get(NsqListenerSecurityIntegrationTests.class.getClassLoader());
		for (String logger : LOGGERS) {
			configuredLevels.put(logger, logging.getLoggerConfiguration(logger).getConfiguredLevel());
			logging.setLogLevel(logger, LogLevel.DEBUG);
		}
	}

	/** Back to the levels logback-test.xml configures, which later test classes expect. */
	@AfterAll
	static void resetLogLevels() {
		LoggingSystem logging = LoggingSystem.get(NsqListenerSecurityIntegrationTests.class.getClassLoader());
		configuredLevels.forEach(logging::setLogLevel);
	}

	@AfterEach
	void noSecretInAnyLogLine(CapturedOutput output) {
		assertThat(output.getAll()).doesNotContain(SECRET).doesNotContain(WRONG_SECRET).doesNotContain(PUBLISH_ONLY_SECRET);
	}

	static String newTopic() {
		return "secure-listener-" + topics.incrementAndGet();
	}

	/** Runs an application with one listener of the topic; neither startup nor the test may hang. */
	static void withListener(String topic, String[] properties, ContextConsumer<AssertableApplicationContext> test) {
		Received received = new Received();
		assertTimeoutPreemptively(Duration.ofSeconds(90), () -> runner.withPropertyValues(properties)
			.withPropertyValues("test.topic=" + topic)
			.withBean(Received.class, () -> received)
			.withUserConfiguration(Listener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				test.accept(context);
			}));
	}

	static String[] with(String[] properties, String... more) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.addAll(List.of(more));
		return all.toArray(String[]::new);
	}

	static String receive(AssertableApplicationContext context) throws InterruptedException {
		return context.getBean(Received.class).bodies.poll(DELIVERY.toSeconds(), TimeUnit.SECONDS);
	}

	static NsqMessageListenerContainer container(AssertableApplicationContext context) {
		return context.getBean(NsqListenerRegistry.class).getContainers().iterator().next();
	}

	/** Waits for the listener's refusal by nsqd and returns nsqd's answer. */
	static String refusal(AssertableApplicationContext context, NsqServer nsqd) {
		NsqMessageListenerContainer container = container(context);
		await().atMost(DELIVERY).until(() -> container.getConnectionRefusals().containsKey(nsqd.tcpAddress()));
		return container.getConnectionRefusals().get(nsqd.tcpAddress());
	}

	static Health health(AssertableApplicationContext context) {
		return context.getBean("nsqHealthIndicator", HealthIndicator.class).health();
	}

	/**
	 * The listener was refused: nothing delivered (the message published before stays on nsqd), one
	 * ERROR naming the listener, nsqd and nsqd's answer, nsq-j never tried (it logs each failed connect as
	 * an ERROR), health DOWN with the refusal, and the nsq endpoint shows it.
	 */
	static void assertRefused(AssertableApplicationContext context, CapturedOutput output, NsqServer nsqd, String topic,
			String answer) throws InterruptedException {
		String refusal = refusal(context, nsqd);
		assertThat(refusal).contains(answer);
		assertThat(context.getBean(Received.class).bodies.poll(2, TimeUnit.SECONDS)).isNull();
		List<String> errors = output.getAll().lines().filter((line) -> line.contains("ERROR")).toList();
		assertThat(errors).singleElement()
			.satisfies((line) -> assertThat(line).contains("Listener '" + container(context).getName() + "' cannot consume " + topic)
				.contains(nsqd.tcpAddress())
				.contains(answer));
		Health health = health(context);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		@SuppressWarnings("unchecked")
		Map<String, Map<String, Object>> listeners = (Map<String, Map<String, Object>>) health.getDetails().get("listeners");
		assertThat(listeners.get(container(context).getName()).get("refused")).isEqualTo(Map.of(nsqd.tcpAddress(), refusal));
		assertThat(new NsqEndpoint(context.getBean(NsqListenerRegistry.class)).containers().containers())
			.singleElement()
			.satisfies((descriptor) -> assertThat(descriptor.refused()).containsEntry(nsqd.tcpAddress(), refusal));
	}

	static List<NsqStats.ClientStats> clients(NsqServer nsqd, String topic) {
		return nsqd.stats().channel(topic, CHANNEL).clients();
	}

	@Nested
	class TlsRequired {

		@Test
		void listenerConsumesOverTlsAndNsqdSeesTls() {
			String topic = newTopic();
			withListener(topic, TlsProperties.trusting(tlsNsqd, "nsq.nsqd-http-addresses=https://" + tlsNsqd.httpAddress()),
					(context) -> {
						context.getBean(NsqOperations.class).send(topic, "over tls");
						assertThat(receive(context)).isEqualTo("over tls");
						assertThat(clients(tlsNsqd, topic)).singleElement().satisfies((client) -> {
							assertThat(client.userAgent()).isEqualTo(NsqVersion.userAgent()).startsWith("nsq-spring-boot/");
							assertThat(client.tls()).isTrue();
							assertThat(client.tlsVersion()).startsWith("TLS");
						});
						assertThat(health(context).getStatus()).isEqualTo(Status.UP);
						// the listener's frame check reads the decoded frames: it saw the OK to SUB and lets CLOSE_WAIT through
						NsqMessageListenerContainer container = context.getBean(NsqListenerRegistry.class).getContainers().iterator().next();
						assertThat(container.getConnectionCount()).isOne();
						container.stop();
						assertThat(container.getLastDrain().connectionsClosed()).isOne();
					});
		}

		@Test
		void untrustedCertificateNeverDeliversAndSaysWhy(@TempDir Path directory, CapturedOutput output) {
			String topic = newTopic();
			tlsNsqd.publish(topic, "must stay");
			NsqTlsCertificates otherAuthority = NsqTlsCertificates.create(directory, "other-authority");
			withListener(topic, TlsProperties.properties(otherAuthority.bundleProperties("other", null), "nsq.ssl.bundle=other",
					"nsq.nsqd-addresses=" + tlsNsqd.tcpAddress(), "nsq.consumer.reconnect-delay=300ms",
					"nsq.consumer.reconnect-max-delay=600ms"), (context) -> {
						assertRefused(context, output, tlsNsqd, topic, "PKIX path building failed");
						assertThat(tlsNsqd.stats().topic(topic).depth()).isEqualTo(1);
					});
		}

	}

	@Nested
	class HostnameVerification {

		@RegisterExtension
		static NsqServer ipOnly = NsqServer.withTls(NsqServerTls.required().serverNames("127.0.0.1"));

		/** Trusts the server and connects to it as localhost. */
		private String[] viaLocalhost(NsqServer server, String... more) {
			return TlsProperties.trusting(server,
					with(new String[] { "nsq.nsqd-addresses=localhost:" + server.tcpAddress().split(":")[1] }, more));
		}

		@Test
		void certificateForAnotherHostIsRejected(CapturedOutput output) {
			String topic = newTopic();
			withListener(topic, viaLocalhost(ipOnly), (context) -> {
				NsqMessageListenerContainer container = container(context);
				await().atMost(DELIVERY).until(() -> !container.getConnectionRefusals().isEmpty());
				assertThat(container.getConnectionRefusals()).hasSize(1).hasEntrySatisfying("localhost:" + ipOnly.tcpAddress().split(":")[1],
						(refusal) -> assertThat(refusal).contains("TLS handshake").contains("localhost"));
				assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
				assertThat(output.getAll().lines().filter((line) -> line.contains("ERROR"))).singleElement()
					.satisfies((line) -> assertThat(line).contains("cannot consume").contains("localhost"));
			});
		}

		@Test
		void certificateForAnotherHostIsAcceptedWithoutHostnameVerification() {
			String topic = newTopic();
			withListener(topic, viaLocalhost(ipOnly, "nsq.ssl.verify-hostname=false"), (context) -> {
				ipOnly.publish(topic, "unverified host");
				assertThat(receive(context)).isEqualTo("unverified host");
			});
		}

	}

	@Nested
	class ClientCertificates {

		@RegisterExtension
		static NsqServer verifying = NsqServer.withTls(NsqServerTls.required().requireClientCertificates());

		@Test
		void bundleKeyStoreIsPresented() {
			String topic = newTopic();
			withListener(topic, TlsProperties.properties(verifying.certificates().bundleProperties("mutual", verifying.clientCertificate()),
					"nsq.ssl.bundle=mutual", "nsq.nsqd-addresses=" + verifying.tcpAddress()), (context) -> {
						verifying.publish(topic, "with client certificate");
						assertThat(receive(context)).isEqualTo("with client certificate");
						assertThat(clients(verifying, topic)).singleElement().satisfies((client) -> assertThat(client.tls()).isTrue());
					});
		}

		@Test
		void withoutClientCertificateTheListenerIsRefusedClearly(CapturedOutput output) {
			String topic = newTopic();
			verifying.publish(topic, "must stay");
			withListener(topic, TlsProperties.properties(verifying.certificates().bundleProperties("trust-only", null),
					"nsq.ssl.bundle=trust-only", "nsq.nsqd-addresses=" + verifying.tcpAddress()),
					(context) -> assertRefused(context, output, verifying, topic, "certificate"));
		}

	}

	@Nested
	class Auth {

		@RegisterExtension
		static NsqServer authNsqd = NsqServer.withTls(NsqServerTls.required(), auth.nsqdArgument());

		@BeforeEach
		void allow() {
			auth.reset();
			auth.allow(SECRET, "orders-service", Authorization.publishAndSubscribe("secure-listener-.*"));
			auth.allow(PUBLISH_ONLY_SECRET, "orders-publisher", Authorization.publish("secure-listener-.*"));
		}

		private String[] secured(String secret, String... more) {
			return TlsProperties.trusting(authNsqd, with(new String[] { "nsq.auth-secret=" + secret,
					"nsq.nsqd-http-addresses=https://" + authNsqd.httpAddress() }, more));
		}

		@Test
		void rightSecretConsumes() {
			String topic = newTopic();
			withListener(topic, secured(SECRET), (context) -> {
				context.getBean(NsqOperations.class).send(topic, "authorized");
				assertThat(receive(context)).isEqualTo("authorized");
				assertThat(clients(authNsqd, topic)).singleElement().satisfies((client) -> {
					assertThat(client.tls()).isTrue();
					assertThat(client.authIdentity()).isEqualTo("orders-service");
				});
			});
		}

		/**
		 * Attempts are paced by reconnect-delay (jittered to at least half of it): 2 s apart or more, where
		 * nsq-j alone tries every second.
		 */
		@Test
		void wrongSecretSurfacesAuthFailedOnceWithPacedRetries(CapturedOutput output) {
			String topic = newTopic();
			authNsqd.publish(topic, "must stay");
			withListener(topic, secured(WRONG_SECRET, "nsq.consumer.reconnect-delay=4s", "nsq.consumer.reconnect-max-delay=4s"),
					(context) -> {
						// startup made one attempt and did not wait for the next (2-4 s later)
						assertThat(wrongSecretAttempts()).as("AUTH attempts when startup ended").isEqualTo(1);
						assertRefused(context, output, authNsqd, topic, "E_AUTH_FAILED");
						assertThat(health(context).getDetails().get("nsqd")).isEqualTo(Map.of("https://" + authNsqd.httpAddress(), "UP"));
						long before = wrongSecretAttempts();
						Thread.sleep(6000);
						assertThat(wrongSecretAttempts() - before).as("AUTH attempts within 6 s").isBetween(1L, 3L);
						assertThat(output.getAll().lines().filter((line) -> line.contains("ERROR"))).hasSize(1);
						assertThat(authNsqd.stats().topic(topic).depth()).isEqualTo(1);
					});
		}

		private long wrongSecretAttempts() {
			return auth.requests().stream().filter((request) -> WRONG_SECRET.equals(request.secret())).count();
		}

		@Test
		void secretThatMayOnlyPublishCannotSubscribeButPublishes(CapturedOutput output) {
			String topic = newTopic();
			withListener(topic, secured(PUBLISH_ONLY_SECRET), (context) -> {
				context.getBean(NsqOperations.class).send(topic, "published");
				assertThat(authNsqd.stats().topic(topic).messageCount()).isEqualTo(1);
				assertRefused(context, output, authNsqd, topic, "E_UNAUTHORIZED");
				assertThat(refusal(context, authNsqd)).contains("SUB " + topic + " " + CHANNEL);
			});
		}

	}

	@Nested
	class ThroughLookupd {

		@RegisterExtension
		static NsqCluster cluster = NsqCluster.of(1, auth.nsqdArgument());

		@BeforeEach
		void allow() {
			auth.reset();
			auth.allow(SECRET, "orders-service", Authorization.publishAndSubscribe("secure-listener-.*"));
		}

		private String[] viaLookupd(String secret) {
			return new String[] { "nsq.lookupd-addresses=" + cluster.lookupd().httpAddress(),
					"nsq.nsqd-addresses=" + cluster.nsqd(0).tcpAddress(), "nsq.consumer.lookupd-poll-interval=1s",
					"nsq.auth-secret=" + secret };
		}

		@Test
		void rightSecretConsumesFromTheNsqdFound() {
			String topic = newTopic();
			cluster.nsqd(0).createTopic(topic);
			withListener(topic, viaLookupd(SECRET), (context) -> {
				cluster.nsqd(0).publish(topic, "found");
				assertThat(receive(context)).isEqualTo("found");
			});
		}

		@Test
		void wrongSecretIsReportedOnceAndTriedAtEachLookup(CapturedOutput output) {
			String topic = newTopic();
			cluster.nsqd(0).createTopic(topic);
			cluster.nsqd(0).publish(topic, "must stay");
			withListener(topic, viaLookupd(WRONG_SECRET), (context) -> {
				assertRefused(context, output, cluster.nsqd(0), topic, "E_AUTH_FAILED");
				long before = auth.requests().size();
				Thread.sleep(3000);
				assertThat(auth.requests().size() - before).as("AUTH attempts within 3 s at a 1 s poll").isBetween(1L, 4L);
				assertThat(output.getAll().lines().filter((line) -> line.contains("ERROR"))).hasSize(1);
			});
		}

	}

	/** What the listener received. */
	static class Received {

		final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();

	}

	@Configuration(proxyBeanMethods = false)
	static class Listener {

		private final Received received;

		Listener(Received received) {
			this.received = received;
		}

		@NsqListener(topic = "${test.topic}")
		void handle(String body) {
			this.received.bodies.add(body);
		}

	}

}

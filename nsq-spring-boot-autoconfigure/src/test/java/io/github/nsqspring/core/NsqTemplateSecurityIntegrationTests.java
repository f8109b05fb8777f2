package io.github.nsqspring.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.nsqspring.autoconfigure.NsqAutoConfiguration;
import io.github.nsqspring.support.NsqVersion;
import io.github.nsqspring.test.NsqAuthServer;
import io.github.nsqspring.test.NsqAuthServer.Authorization;
import io.github.nsqspring.test.NsqServer;
import io.github.nsqspring.test.NsqServerTls;
import io.github.nsqspring.test.NsqStats;
import io.github.nsqspring.test.NsqTlsCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * {@link NsqTemplate} over TLS and with AUTH, configured through {@code nsq.ssl.*}, Spring SSL bundles and
 * {@code nsq.auth-secret}, against real nsqd processes with test certificates and a real auth server.
 */
@ExtendWith(OutputCaptureExtension.class)
class NsqTemplateSecurityIntegrationTests {

	private static final String SECRET = "s3cret-that-must-never-be-logged";

	private static final Duration TIMEOUT = Duration.ofSeconds(3);

	private static final AtomicInteger topics = new AtomicInteger();

	@RegisterExtension
	static NsqAuthServer auth = NsqAuthServer.create();

	@RegisterExtension
	static NsqServer tlsNsqd = NsqServer.withTls(NsqServerTls.required());

	@RegisterExtension
	static NsqServer plainNsqd = NsqServer.create();

	private static final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NsqAutoConfiguration.class))
		.withPropertyValues("nsq.producer.timeout=" + TIMEOUT.toMillis() + "ms");

	static String newTopic() {
		return "secure-" + topics.incrementAndGet();
	}

	static void withTemplate(String[] properties, Consumer<NsqTemplate> test) {
		runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasNotFailed();
			test.accept(context.getBean(NsqTemplate.class));
		});
	}

	static NsqPublishException publishFails(NsqTemplate template, String topic) {
		// a failing handshake ends within the producer timeout (with room for a loaded machine)
		return assertTimeoutPreemptively(TIMEOUT.plusSeconds(5),
				() -> assertThrows(NsqPublishException.class, () -> template.send(topic, "x")));
	}

	static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Nested
	class TlsRequired {

		@Test
		void everyKindOfPublishArrivesOverTls() {
			String topic = newTopic();
			withTemplate(TlsProperties.trusting(tlsNsqd), (template) -> {
						template.send(topic, "one");
						template.sendAsync(topic, "two").join();
						template.sendBatch(topic, List.of("three", "four", "five"));
						template.sendDeferred(topic, "six", Duration.ofMillis(100));
						await().atMost(Duration.ofSeconds(10))
							.untilAsserted(() -> assertThat(tlsNsqd.stats().topic(topic).messageCount()).isEqualTo(6));
						List<NsqStats.ProducerStats> producers = tlsNsqd.stats().producers();
						assertThat(producers).isNotEmpty().allSatisfy((producer) -> {
							assertThat(producer.userAgent()).isEqualTo(NsqVersion.userAgent());
							assertThat(producer.tls()).isTrue();
							assertThat(producer.tlsVersion()).startsWith("TLS");
						});
					});
		}

		@Test
		void pipelinedAsyncPublishesAllArrive() {
			String topic = newTopic();
			withTemplate(TlsProperties.trusting(tlsNsqd), (template) -> {
						List<CompletableFuture<Void>> futures = IntStream.range(0, 5000)
							.mapToObj((i) -> template.sendAsync(topic, "message-" + i))
							.toList();
						CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
						assertThat(tlsNsqd.stats().topic(topic).messageCount()).isEqualTo(5000);
					});
		}

		@Test
		void pipelinedAsyncPublishesAreMergedOverTls() throws IOException {
			long merged = bytesNsqdSendsFor5000AsyncPublishes("nsq.producer.batch.max-messages=200");
			long single = bytesNsqdSendsFor5000AsyncPublishes("nsq.producer.batch.max-messages=1");
			// one answer (an OK frame of 10 bytes and its TLS record) per MPUB instead of one per PUB
			assertThat(single).as("bytes from nsqd for 5,000 PUBs").isGreaterThan(5000 * 10);
			assertThat(merged).as("bytes from nsqd for merged MPUBs").isLessThan(single / 5);
		}

		/** Bytes nsqd sent back over TLS through a relay (handshake included) while 5,000 async publishes went in. */
		private long bytesNsqdSendsFor5000AsyncPublishes(String batching) throws IOException {
			String topic = newTopic();
			try (CountingRelay relay = new CountingRelay("127.0.0.1", NsqAddress.parse(tlsNsqd.tcpAddress()).port())) {
				withTemplate(TlsProperties.trusting(tlsNsqd, "nsq.nsqd-addresses=" + relay.address(), batching), (template) -> {
					List<CompletableFuture<Void>> futures = IntStream.range(0, 5000)
						.mapToObj((i) -> template.sendAsync(topic, "message-" + i))
						.toList();
					CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
				});
				assertThat(tlsNsqd.stats().topic(topic).messageCount()).isEqualTo(5000);
				return relay.bytesFromServer();
			}
		}

		@Test
		void failsOverFromAnUnreachableNsqdToTheTlsOne() {
			String topic = newTopic();
			withTemplate(TlsProperties.trusting(tlsNsqd, "nsq.nsqd-addresses=127.0.0.1:" + closedPort() + "," + tlsNsqd.tcpAddress()),
					(template) -> {
						template.send(topic, "via failover");
						assertThat(tlsNsqd.stats().topic(topic).messageCount()).isEqualTo(1);
					});
		}

		@Test
		void untrustedCertificateFailsNamingTheAddressAndTheCause(@TempDir Path directory) {
			NsqTlsCertificates otherAuthority = NsqTlsCertificates.create(directory, "other-authority");
			withTemplate(TlsProperties.properties(otherAuthority.bundleProperties("other", null), "nsq.ssl.bundle=other",
					"nsq.nsqd-addresses=" + tlsNsqd.tcpAddress()), (template) -> {
						String topic = newTopic();
						NsqPublishException ex = publishFails(template, topic);
						assertThat(ex).hasMessageContaining(tlsNsqd.tcpAddress())
							.hasMessageContaining("TLS handshake")
							.hasMessageContaining("PKIX path building failed");
						assertThat(tlsNsqd.stats().topic(topic).messageCount()).isZero();
					});
		}

		@Test
		void jvmDefaultTrustStoreDoesNotTrustTheTestAuthority() {
			withTemplate(new String[] { "nsq.ssl.enabled=true", "nsq.nsqd-addresses=" + tlsNsqd.tcpAddress() },
					(template) -> assertThat(publishFails(template, newTopic())).hasMessageContaining("TLS handshake"));
		}

		@Test
		void plaintextClientIsRefusedByNsqd() {
			withTemplate(new String[] { "nsq.nsqd-addresses=" + tlsNsqd.tcpAddress() },
					(template) -> assertThat(publishFails(template, newTopic())).hasMessageContaining(tlsNsqd.tcpAddress())
						.hasMessageContaining("E_INVALID")
						.hasMessageContaining("TLS required"));
		}

	}

	@Nested
	class HostnameVerification {

		@RegisterExtension
		static NsqServer ipOnly = NsqServer.withTls(NsqServerTls.required().serverNames("127.0.0.1"));

		/** nsqd's certificate names 127.0.0.1 only, and the template connects to localhost. */
		private String[] viaLocalhost(String... more) {
			List<String> all = new ArrayList<>(List.of("nsq.nsqd-addresses=localhost:" + ipOnly.tcpAddress().split(":")[1]));
			all.addAll(List.of(more));
			return TlsProperties.trusting(ipOnly, all.toArray(String[]::new));
		}

		@Test
		void certificateForAnotherHostIsRejected() {
			withTemplate(viaLocalhost(), (template) -> assertThat(publishFails(template, newTopic()))
				.hasMessageContaining("localhost:")
				.hasMessageContaining("TLS handshake")
				.hasMessageContaining("localhost"));
		}

		@Test
		void certificateForAnotherHostIsAcceptedWithoutHostnameVerification() {
			String topic = newTopic();
			withTemplate(viaLocalhost("nsq.ssl.verify-hostname=false"), (template) -> {
				template.send(topic, "unverified host");
				assertThat(ipOnly.stats().topic(topic).messageCount()).isEqualTo(1);
			});
		}

		@Test
		void certificateNamingTheAddressIsAccepted() {
			String topic = newTopic();
			withTemplate(TlsProperties.trusting(ipOnly), (template) -> {
						template.send(topic, "verified ip");
						assertThat(ipOnly.stats().topic(topic).messageCount()).isEqualTo(1);
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
			withTemplate(TlsProperties.properties(verifying.certificates().bundleProperties("mutual", verifying.clientCertificate()),
					"nsq.ssl.bundle=mutual", "nsq.nsqd-addresses=" + verifying.tcpAddress()), (template) -> {
						template.send(topic, "with client certificate");
						assertThat(verifying.stats().topic(topic).messageCount()).isEqualTo(1);
					});
		}

		@Test
		void withoutClientCertificateTheConnectionIsRefusedClearly() {
			withTemplate(TlsProperties.properties(verifying.certificates().bundleProperties("trust-only", null),
					"nsq.ssl.bundle=trust-only", "nsq.nsqd-addresses=" + verifying.tcpAddress()),
					(template) -> assertThat(publishFails(template, newTopic())).hasMessageContaining(verifying.tcpAddress())
						.hasMessageContaining("TLS")
						.hasMessageContaining("certificate"));
		}

	}

	@Nested
	class TlsNotOffered {

		@Test
		void enabledTlsRefusesAPlainNsqdInsteadOfSendingPlaintext() {
			String topic = newTopic();
			withTemplate(new String[] { "nsq.ssl.enabled=true", "nsq.nsqd-addresses=" + plainNsqd.tcpAddress() },
					(template) -> {
						assertThat(publishFails(template, topic)).hasMessageContaining(plainNsqd.tcpAddress())
							.hasMessageContaining("does not offer TLS");
						assertThat(plainNsqd.stats().findTopic(topic)).isEmpty();
					});
		}

	}

	@Nested
	class Auth {

		@RegisterExtension
		static NsqServer authNsqd = NsqServer.withTls(NsqServerTls.required(), auth.nsqdArgument());

		@BeforeEach
		void allow() {
			auth.reset();
			auth.allow(SECRET, "billing-service", Authorization.publish("secure-.*"));
			LoggingSystem.get(getClass().getClassLoader()).setLogLevel("io.github.nsqspring", LogLevel.DEBUG);
		}

		/** Back to the level logback-test.xml configures (null would inherit the root's WARN in later tests). */
		@AfterEach
		void resetLogLevel() {
			LoggingSystem.get(getClass().getClassLoader()).setLogLevel("io.github.nsqspring", LogLevel.INFO);
		}

		private String[] secured(String secret) {
			return TlsProperties.trusting(authNsqd, "nsq.auth-secret=" + secret);
		}

		@ParameterizedTest
		@ValueSource(strings = { "snappy", "deflate" })
		void authenticatesThroughTlsAndCompression(String compression) {
			String topic = newTopic();
			withTemplate(TlsProperties.trusting(authNsqd, "nsq.auth-secret=" + SECRET, "nsq.producer.compression=" + compression),
					(template) -> {
						template.send(topic, "authorized");
						template.sendBatch(topic, List.of("a", "b"));
						assertThat(authNsqd.stats().topic(topic).messageCount()).isEqualTo(3);
						assertThat(authNsqd.stats().producers()).isNotEmpty().allSatisfy((producer) -> {
							assertThat(producer.authIdentity()).isEqualTo("billing-service");
							assertThat(producer.tls()).isTrue();
							assertThat(producer.snappy()).isEqualTo(compression.equals("snappy"));
							assertThat(producer.deflate()).isEqualTo(compression.equals("deflate"));
						});
					});
		}

		@Test
		void rightSecretPublishes(CapturedOutput output) {
			String topic = newTopic();
			withTemplate(secured(SECRET), (template) -> {
				template.send(topic, "authorized");
				template.sendBatch(topic, List.of("a", "b"));
				assertThat(authNsqd.stats().topic(topic).messageCount()).isEqualTo(3);
				assertThat(authNsqd.stats().producers()).isNotEmpty()
					.allSatisfy((producer) -> assertThat(producer.authIdentity()).isEqualTo("billing-service"));
			});
			assertThat(auth.requests()).isNotEmpty().allSatisfy((request) -> {
				assertThat(request.secret()).isEqualTo(SECRET);
				assertThat(request.tls()).isTrue();
			});
			assertThat(output).contains("Authenticated to nsqd " + authNsqd.tcpAddress() + " as 'billing-service' with 1")
				.doesNotContain(SECRET);
		}

		@Test
		void wrongSecretSurfacesAuthFailed(CapturedOutput output) {
			String wrong = "wrong-" + SECRET;
			withTemplate(secured(wrong), (template) -> {
				NsqPublishException ex = publishFails(template, newTopic());
				assertThat(ex).hasMessageContaining(authNsqd.tcpAddress()).hasMessageContaining("E_AUTH_FAILED");
				assertThat(ex.getMessage()).doesNotContain(wrong);
			});
			assertThat(output).doesNotContain(SECRET);
		}

		@Test
		void forbiddenTopicSurfacesUnauthorizedNamingTheTopic(CapturedOutput output) {
			withTemplate(secured(SECRET), (template) -> {
				NsqPublishException ex = assertThrows(NsqPublishException.class, () -> template.send("forbidden", "x"));
				assertThat(ex).hasMessageContaining(authNsqd.tcpAddress())
					.hasMessageContaining("E_UNAUTHORIZED")
					.hasMessageContaining("\"forbidden\"");
				assertThat(ex.getTopic()).isEqualTo("forbidden");
				// the connection closed by nsqd is replaced: an allowed topic publishes again
				String topic = newTopic();
				template.send(topic, "allowed");
				assertThat(authNsqd.stats().topic(topic).messageCount()).isEqualTo(1);
			});
			assertThat(output).doesNotContain(SECRET);
		}

		@Test
		void missingSecretFailsClearly() {
			withTemplate(TlsProperties.trusting(authNsqd),
					(template) -> assertThat(publishFails(template, newTopic())).hasMessageContaining("requires AUTH")
						.hasMessageContaining("nsq.auth-secret"));
		}

	}

}
